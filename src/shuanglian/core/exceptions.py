"""Domain errors: raised by services, rendered by one API handler and one view mixin."""
from typing import Any


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
