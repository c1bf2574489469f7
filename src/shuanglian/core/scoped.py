"""The one scoped fetch-and-check: every id a request names is read through the user's visible queryset
(an app's `<entity>_list_visible_to(user)`), so a page and the API cannot differ. Out of scope reads exactly
as missing: its existence is not disclosed."""
from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

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
        # The callers' nouns are the models' verbose names, so the catalog has them.
        noun = _(what)
        if field is None:
            raise NotFound(message or _("%(what)s not found") % {"what": noun}) from None
        raise ValidationFailed(_("No such %(what)s that you may see: %(pk)s.") % {"what": noun, "pk": pk},
                               details={field: [pk]}) from None
