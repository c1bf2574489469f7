"""The second factor on the web: the step after the password, and enrolment.

After a right password, an account that needs a second factor is not signed in yet: the session only
remembers who is waiting (for PENDING_MINUTES). The verification step (or, the first time, enrolment)
signs them in. So no session is ever half signed in: every other page sees an anonymous visitor.
"""
from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuanglian.core import clock
from shuanglian.core.exceptions import DomainError
from shuanglian.core.htmx import render_page

from . import mfa
from .models import User

PENDING = "mfa_pending"
VERIFIED = "mfa_verified"
PENDING_MINUTES = 5


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=32, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                                         "inputmode": "text"}),
                           help_text=gettext_lazy("The 6 digits your authenticator shows, or one of your "
                                                  "recovery codes."))


def begin(request, user: User, next_url: str):
    """Called by the login view after a right password: remember who is waiting, then ask the code (or
    set up an authenticator the first time)."""
    request.session.cycle_key()
    request.session[PENDING] = {"user": user.pk, "backend": getattr(user, "backend", ""),
                                "at": clock.now().isoformat(), "next": next_url}
    return redirect("accounts:mfa_verify" if mfa.is_enrolled(user) else "accounts:mfa_enrol")


def _pending_user(request) -> User | None:
    pending = request.session.get(PENDING)
    if not pending:
        return None
    started = datetime.fromisoformat(pending["at"])
    if clock.now() - started > timedelta(minutes=PENDING_MINUTES):
        request.session.pop(PENDING, None)
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def _finish(request, user: User):
    """Sign the waiting user in, as the login view would have, and go where they were going."""
    pending = request.session.pop(PENDING, {})
    auth_login(request, user, backend=pending.get("backend") or None)
    request.session[VERIFIED] = True
    next_url = pending.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = reverse("home")
    return next_url


def verify(request):
    """The code after the password."""
    if request.user.is_authenticated:
        return redirect("home")
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Sign in again: the step for the second factor timed out or was not started."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        used = mfa.verify(user=user, code=form.cleaned_data["code"])
        if used is not None:
            next_url = _finish(request, user)
            if used == "recovery":
                messages.warning(request, _("You signed in with a recovery code; %(n)d are left. Make new ones "
                                            "on the second-factor page if you are running out.")
                                 % {"n": mfa.recovery_codes_left(user)})
            return redirect(next_url)
        form.add_error("code", _("That code is not right, or it was already used. Try the code the "
                                 "authenticator shows now."))
    return render_page(request, "accounts/mfa_verify.html", {"form": form, "pending_user": user})


def enrol(request):
    """Set up an authenticator: the first time at sign-in (the user is waiting, not yet signed in), or
    later from one's account to replace it or to make new recovery codes."""
    if request.user.is_authenticated:
        user, waiting = request.user, False
    else:
        user, waiting = _pending_user(request), True
        if user is None:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if mfa.is_enrolled(user):  # enrolled already: the code, not a new authenticator
            return redirect("accounts:mfa_verify")
    enrolled = mfa.is_enrolled(user)
    form = CodeForm(request.POST or None)
    codes = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "confirm" and form.is_valid():
                codes = mfa.enrolment_confirm(user=user, code=form.cleaned_data["code"])
            elif action == "regenerate" and not waiting:
                codes = mfa.recovery_codes_regenerate(user=user)
            elif action not in ("confirm", "regenerate"):
                return HttpResponseBadRequest(_("Unknown operation."))
        except DomainError as exc:
            form.add_error("code" if action == "confirm" else None, exc.message)
        if codes is not None:
            next_url = _finish(request, user) if waiting else reverse("accounts:mfa_enrol")
            # Shown in this answer only: the codes are kept as hashes and cannot be shown again.
            response = render_page(request, "accounts/mfa_codes.html", {"codes": codes, "next_url": next_url})
            response["Cache-Control"] = "no-store"
            return response
    replacing = not enrolled or waiting or request.GET.get("replace") == "1" or request.method == "POST"
    device = mfa.enrolment_start(user=user) if replacing else None
    context = {"section": "account", "form": form, "enrolled": enrolled, "waiting": waiting, "device": device,
               "required": mfa.required_for(user), "codes_left": mfa.recovery_codes_left(user)}
    if device is not None:
        context.update(qr_svg=mfa.qr_svg(device), secret=mfa.secret_text(device), uri=device.config_url)
    response = render_page(request, "accounts/mfa_enrol.html", context)
    response["Cache-Control"] = "no-store"  # the page carries the authenticator's secret
    return response
