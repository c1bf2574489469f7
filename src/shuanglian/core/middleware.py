from django.conf import settings
from django.utils.cache import patch_cache_control

from .context import action_context, new_request_id
from .exceptions import DomainError, NotFound
from .exceptions import PermissionDenied as DomainPermissionDenied
from .htmx import is_fragment_request, raise_for_read, render_page
from .http import client_ip, from_trusted_proxy


class RequestContextMiddleware:
    """Give every request an id (echoed as X-Request-ID) and note the client address for audit. An incoming
    X-Request-ID is kept only from a trusted proxy (TRUSTED_PROXIES): a client may not name its audit records."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "") if from_trusted_proxy(request) else ""
        request_id = incoming if incoming and len(incoming) <= 64 and incoming.isascii() \
            and incoming.isprintable() else new_request_id()
        channel = "api" if request.path.startswith("/api/") else "web"
        with action_context(request_id=request_id, ip=client_ip(request), channel=channel):
            request.request_id = request_id
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: Permissions-Policy (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class NoStoreMiddleware:
    """Nothing a signed-in user is shown, and no API answer, is kept by a browser or a proxy cache: such pages
    hold personal information (lists, household files, revealed values). One rule here instead of a
    decorator on each view; anonymous pages (sign-in, public status lookup) keep their own headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # after the view: DRF's token authentication has set it too
        if request.path.startswith("/api/") or getattr(user, "is_authenticated", False):
            patch_cache_control(response, no_store=True, private=True)
        return response


class DomainErrorMiddleware:
    """The one place a DomainError that escapes a page view becomes a response: out of scope (NotFound) is
    the 404 page, a refused capability the 403 page, any other refusal its message with the error's status
    (htmx: in the flash area). Views with a form catch domain errors themselves (ServiceFormMixin) to put the
    message on the form; the API has its own handler (core.api.exception_handler)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFound | DomainPermissionDenied):
            raise_for_read(exception)
        context = {"errors": [exception.message]}
        if is_fragment_request(request):
            response = render_page(request, "core/partials/error.html", context, status=exception.http_status)
            response["HX-Retarget"] = "#flash"
            response["HX-Reswap"] = "innerHTML"
            return response
        return render_page(request, "core/domain_error.html", context, status=exception.http_status)
