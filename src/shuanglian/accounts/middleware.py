"""Request-time parts of the account rules: a due password change holds the signed-in user at the
change page; an idle session ends; a signed-in session of an account that needs a second factor must have
passed it.

Sign-in asks the second factor before the session is made (accounts.mfa_views), so MFAMiddleware catches what
changes later: a role that needs it granted while the user is signed in, or MFA_REQUIRED turned on over old
sessions. Such a session is ended and the user signs in again, this time with the second factor."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from shuanglian.core import clock

from . import mfa, passwords, signin
from .mfa_views import VERIFIED

# What a user whose password change is due may still reach: the change itself, signing out, assets.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/api/v1/auth/")


class PasswordChangeDueMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open: tuple[str, ...] | None = None

    def _open_paths(self) -> tuple[str, ...]:
        if self._open is None:
            self._open = (*_OPEN_PREFIXES, reverse("accounts:password_change"), reverse("accounts:logout"),
                          reverse("accounts:login"))
        return self._open

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(self._open_paths()):
            reason = passwords.change_due(user)
            if reason:
                if request.path.startswith("/api/"):
                    return JsonResponse({"code": "password_change_required", "message": passwords.due_message(reason),
                                         "details": {"reason": reason}}, status=403)
                target = reverse("accounts:password_change")
                if request.headers.get("HX-Request"):  # htmx would swap the page into a fragment: go whole
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return redirect(target)
        return self.get_response(request)


class IdleLogoutMiddleware:
    """End a session after SESSION_IDLE_MINUTES without a request (SESSION_COOKIE_AGE stays the absolute
    limit). The last activity is written at most once a minute, so busy pages do not rewrite the session on
    every request."""

    KEY = "last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        minutes = settings.SESSION_IDLE_MINUTES
        if minutes and user is not None and user.is_authenticated:
            now = int(clock.now().timestamp())
            last = request.session.get(self.KEY)
            if last is not None and now - last > minutes * 60:
                signin.record_logout(user, reason="idle")
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"code": "not_authenticated", "details": {"reason": "idle"},
                                         "message": _("Your session ended after %(n)d minutes without activity. "
                                                      "Sign in again.") % {"n": minutes}}, status=401)
                messages.info(request, _("Your session ended after %(n)d minutes without activity. Sign in again.")
                              % {"n": minutes})
                return redirect_to_login(request.get_full_path())
            if last is None or now - last >= 60:
                request.session[self.KEY] = now
        return self.get_response(request)


class MFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (mfa.is_enforced() and user is not None and user.is_authenticated
                and not request.session.get(VERIFIED) and mfa.required_for(user)):
            logout(request)
            message = _("Your account now needs a second factor: sign in again.")
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "mfa_required", "message": message, "details": {}}, status=403)
            messages.warning(request, message)
            return redirect("accounts:login")
        return self.get_response(request)
