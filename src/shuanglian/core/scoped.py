"""The one scoped fetch-and-check: every id a request names is read through the user's visible queryset
(an app's `<entity>_list_visible_to(user)`), so a page and the API cannot differ. Out of scope reads exactly
as missing: its existence is not disclosed."""
from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet

from .exceptions import NotFound, ValidationFailed

M = TypeVar("M", bound=Model)


def get_visible(visible: QuerySet[M], pk: object, *, what: str, field: str | None = None,
                message: str | None = None) -> M:
    """The row `pk` of an already scoped queryset. Missing or out of scope: NotFound (404) when the id is the
    request's subject (the URL); ValidationFailed naming `field` when it came in the request's body, so the
    form or the API shows which input is wrong. `message` words the 404 (default "<what> not found")."""
    try:
        return visible.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        if field is None:
            raise NotFound(message or f"{what} not found") from None
        raise ValidationFailed(f"No such {what} that you may see: {pk}.", details={field: [pk]}) from None
