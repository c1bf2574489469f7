"""API token pages: one's own tokens (issue one, see it once, revoke), and an account's tokens and second
factor for the administrators who manage it (auditors read them)."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from shuanglian.access.roles import MANAGE_USERS, VIEW_USERS
from shuanglian.core import clock
from shuanglian.core.exceptions import DomainError, NotFound
from shuanglian.core.htmx import raise_for_read, render_page, require_any_capability

from . import mfa, policies, tokens
from .selectors import user_get_for_user


def _revoke(request, back: str):
    try:
        pk = int(request.POST.get("token", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Which token? The form named none."))
    try:
        token = tokens.token_get_for_user(request.user, pk)
        tokens.token_revoke(actor=request.user, token=token, reason=request.POST.get("reason", ""))
    except NotFound as exc:
        raise_for_read(exc)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, _("Token %(name)s revoked: it no longer works.") % {"name": token})
    return redirect(back)


def _rows(queryset, actor):
    now = clock.now()
    return [{"token": t, "live": t.is_live(now), "may_revoke": t.is_live(now) and policies.may_revoke_token(actor, t)}
            for t in queryset]


@login_required
def token_list(request):
    """The signed-in user's own tokens. A new token's secret is shown in the answer to the POST only."""
    back = reverse("accounts:token_list")
    new_secret = new_token = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "revoke":
            return _revoke(request, back)
        if action != "issue":
            return HttpResponseBadRequest(_("Unknown operation."))
        try:
            # The session already passed the second factor where it is needed (sign-in asks it).
            new_token, new_secret = tokens.token_issue(actor=request.user, user=request.user,
                                                       name=request.POST.get("name", ""),
                                                       second_factor=mfa.required_for(request.user))
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(back)
    mine = tokens.token_list_visible_to(request.user).filter(user=request.user)
    response = render_page(request, "accounts/token_list.html", {
        "section": "account", "rows": _rows(mine, request.user), "new_secret": new_secret, "new_token": new_token,
        "days": settings.API_TOKEN_DAYS, "subject": None})
    response["Cache-Control"] = "no-store"  # the page may carry a secret
    return response


@login_required
def user_tokens(request, pk: int):
    """An account's tokens, for the administrators who manage it (and, read-only, auditors)."""
    require_any_capability(request.user, VIEW_USERS, MANAGE_USERS)
    try:
        subject = user_get_for_user(request.user, pk)
    except NotFound as exc:
        raise_for_read(exc)
    back = reverse("accounts:user_tokens", kwargs={"pk": subject.pk})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            return _revoke(request, back)
        if action != "mfa_reset":
            return HttpResponseBadRequest(_("Unknown operation."))
        try:
            mfa.mfa_reset(actor=request.user, user=subject)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The second factor of %(name)s was removed: they set up a new "
                                        "authenticator at their next sign-in.") % {"name": subject.username})
        return redirect(back)
    theirs = tokens.token_list_visible_to(request.user).filter(user=subject)
    return render_page(request, "accounts/token_list.html", {
        "section": "accounts", "rows": _rows(theirs, request.user), "subject": subject,
        "days": settings.API_TOKEN_DAYS, "subject_enrolled": mfa.is_enrolled(subject),
        "may_manage": policies.may_manage_user(request.user, subject)})
