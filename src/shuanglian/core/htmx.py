"""The web shell's helpers: one way to render a page or its htmx fragment, to paginate, and to turn
a service's DomainError into something the user sees (on the form, or in an error fragment).

Pages extend `{% extends base_template %}`. A full request gets `base.html` (header, navigation);
an htmx request that swaps the main panel gets `core/partial.html`, which renders only the page's
content blocks. The same template, the same view, with or without JavaScript.
"""
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseLocation

from . import clock
from .capabilities import scope_for
from .exceptions import DomainError, NotFound
from .exceptions import PermissionDenied as DomainPermissionDenied

T = TypeVar("T")

FULL_BASE = "base.html"
PARTIAL_BASE = "core/partial.html"
PAGE_SIZE = 50
MAIN_TARGET = "#main"


def is_fragment_request(request) -> bool:
    """An htmx request that will swap part of the page (not a history restore, which needs the full page)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request and not htmx.boosted


def render_page(request, template_name: str, context: dict | None = None, *, status: int = 200):
    """Render a page; its `base_template` is the full layout or, for htmx, only the main panel."""
    context = dict(context or {})
    context.setdefault("base_template", PARTIAL_BASE if is_fragment_request(request) else FULL_BASE)
    response = render(request, template_name, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def redirect_after_post(request, url: str):
    """After a successful write: an htmx request loads the next page into the main panel (and pushes
    its URL); a plain form post gets an ordinary redirect."""
    if getattr(request, "htmx", False):
        return HttpResponseLocation(url, target=MAIN_TARGET)
    return HttpResponseRedirect(url)


def year_param(request, *, first: int = 1990, last: int = 2100) -> int:
    """The year a statistics page or register shows (`?year=`): this year unless a plausible one is asked."""
    raw = (request.GET.get("year") or "").strip()
    return int(raw) if raw.isdigit() and first <= int(raw) <= last else clock.today().year


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """Server-side pagination: one count and one page query, whatever the page size."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def raise_for_read(exc: DomainError) -> NoReturn:
    """A selector's refusal as an HTTP error: out of scope reads as 404, a refused capability as 403."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    if isinstance(exc, DomainPermissionDenied):
        raise DjangoPermissionDenied(exc.message) from exc
    raise exc


def read(getter: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A selector's read inside a view, its NotFound as the 404 page even where a form would catch domain
    errors (ServiceFormMixin): a missing record is not a message for the form."""
    try:
        return getter(*args, **kwargs)
    except NotFound as exc:
        raise_for_read(exc)


def form_add_domain_error(form, exc: DomainError) -> None:
    """Put the service's message on the field it names (details={"field": ...}), else on the form."""
    details = exc.details if isinstance(exc.details, dict) else {}
    field = next((name for name in details if name in form.fields), None)
    form.add_error(field, exc.message)


class ServiceFormMixin:
    """The one view mixin for writes. A form validates the input's shape; `perform(form)` calls a
    service. If the service raises DomainError, its message goes on the form: htmx swaps the form's
    fragment (`form_template_name`, status 422) or, without JavaScript, the page is shown again with
    the message. Without a form fragment, an htmx request gets `core/partials/error.html`.

    Subclasses provide `perform`, `success_url(result)`, and `get_context_data(**kwargs)` for the
    full page; `success_message(result)` is optional.
    """

    request: HttpRequest  # a mixin for Django's class-based views

    template_name: str = ""
    form_template_name: str | None = None
    error_template_name = "core/partials/error.html"

    def perform(self, form):
        raise NotImplementedError

    def success_url(self, result) -> str:
        raise NotImplementedError

    def success_message(self, result) -> str:
        return ""

    def get_context_data(self, **kwargs) -> dict:
        return kwargs

    def submit(self, form):
        """Validate, perform, then redirect on success or show the errors."""
        if form.is_valid():
            try:
                result = self.perform(form)
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                message = self.success_message(result)
                if message:
                    messages.success(self.request, message)
                return redirect_after_post(self.request, self.success_url(result))
        return self.form_invalid(form)

    def form_invalid(self, form):
        request = self.request
        if is_fragment_request(request):
            if self.form_template_name:
                context = self.get_context_data(form=form)
                context["form"] = form
                return render_page(request, self.form_template_name, context, status=422)
            errors = [message for messages_ in form.errors.values() for message in messages_]
            response = render_page(request, self.error_template_name, {"errors": errors}, status=422)
            response["HX-Retarget"] = "#flash"
            response["HX-Reswap"] = "innerHTML"
            return response
        return render_page(request, self.template_name, self.get_context_data(form=form), status=422)


def require_any_capability(user, *capabilities: str) -> None:
    """403 unless the user holds at least one of the capabilities somewhere (the scope comes later,
    from the selector: out of scope reads as 404)."""
    if all(scope_for(user, cap).empty for cap in capabilities):
        raise DjangoPermissionDenied
