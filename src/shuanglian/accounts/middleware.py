"""A signed-in session of an account that needs a second factor must have passed it.

Sign-in asks it before the session is made (accounts.mfa_views), so this catches what changes later: a
role that needs it granted while the user is signed in, or MFA_REQUIRED turned on over old sessions. Such a
session is ended and the user signs in again, this time with the second factor."""
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import mfa
from .mfa_views import VERIFIED


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
