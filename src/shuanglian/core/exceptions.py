"""Domain errors: raised by services, rendered by one API handler and one view mixin."""
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A rule said no. `code` is stable for clients; `message` is for the user to act on."""

    code = "domain_error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, details: Any = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details if details is not None else {}


class ValidationFailed(DomainError):
    code = "invalid"


class PermissionDenied(DomainError):
    code = "permission_denied"
    http_status = 403


class NotFound(DomainError):
    """Also what an out-of-scope object reads as: its existence is not disclosed."""

    code = "not_found"
    http_status = 404


class Conflict(DomainError):
    code = "conflict"
    http_status = 409


class ImportRejected(DomainError):
    """An input file was refused; `details["errors"]` lists each problem with file, line and reason."""

    code = "import_rejected"


def full_clean(instance, **kwargs) -> None:
    """`instance.full_clean(**kwargs)` with Django's ValidationError turned into ValidationFailed naming
    each field, so a service raises only domain errors (pages catch those; the API renders them)."""
    try:
        instance.full_clean(**kwargs)
    except DjangoValidationError as exc:
        details = getattr(exc, "message_dict", None) or {"__all__": exc.messages}
        text = "; ".join(" ".join(errors) if field == "__all__" else f"{field}: {' '.join(errors)}"
                         for field, errors in details.items())
        raise ValidationFailed(text, details=details) from exc


def require_length(value: str, *, field: str, limit: int) -> str:
    """Refuse, never cut, a text longer than its column holds; the message names the field."""
    if len(value) > limit:
        raise ValidationFailed(_("%(field)s is too long (at most %(n)d characters).") % {"field": field, "n": limit},
                               details={field: [_("Too long.")]})
    return value
