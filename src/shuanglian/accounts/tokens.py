"""API tokens: issued with an expiry, stored as a hash, listed and revoked by their owner or an
administrator, all revoked when the account is deactivated or its password changes.

The secret has the shape DRF's tokens had (40 hex digits) and is sent the same way,
`Authorization: Token <secret>`, so existing clients keep working.
"""
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shuanglian.core import audit, clock
from shuanglian.core.exceptions import Conflict, NotFound, PermissionDenied, full_clean, require_length

from . import policies
from .models import ApiToken, User
from .selectors import user_list_visible_to

# last_used_at is written at most this often per token, so a busy client does not write on every call.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _snapshot(token: ApiToken) -> dict:
    # Never the secret nor its hash: the prefix is what an owner sees too.
    return {"user": token.user.username, "name": token.name, "prefix": token.prefix,
            "expires_at": token.expires_at, "revoked_at": token.revoked_at, "second_factor": token.second_factor}


@transaction.atomic
def token_issue(*, actor, user: User, name: str = "API", second_factor: bool = False) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its secret, which is not stored and cannot be shown again."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("A token is issued only to its own account."))
    name = require_length((name or "").strip() or "API", field="name", limit=60)
    secret = secrets.token_hex(20)
    now = clock.now()
    token = ApiToken(user=user, name=name, key_hash=hash_secret(secret), prefix=secret[:8], created_at=now,
                     expires_at=now + timedelta(days=settings.API_TOKEN_DAYS), second_factor=second_factor)
    full_clean(token)
    token.save()
    audit.record(actor=actor or user, action="token.issue", obj=token, after=_snapshot(token))
    return token, secret


def token_authenticate(*, secret: str) -> ApiToken | None:
    """The live token with this secret, or None (unknown, expired or revoked); notes when it was last used."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_secret(secret)).first()
    now = clock.now()
    if token is None or not token.is_live(now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def token_revoke(*, actor, token: ApiToken, reason: str = "") -> ApiToken:
    if not policies.may_revoke_token(actor, token):
        raise PermissionDenied(_("You may not revoke the tokens of %(user)s.") % {"user": token.user.username})
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is not None:
        raise Conflict(_("This token was already revoked."), code="already_revoked")
    before = _snapshot(token)
    token.revoked_at = clock.now()
    token.revoked_reason = require_length(reason.strip(), field="reason", limit=200)
    token.save(update_fields=["revoked_at", "revoked_reason"])
    audit.record(actor=actor, action="token.revoke", obj=token, before=before,
                 after={**_snapshot(token), "reason": token.revoked_reason})
    return token


@transaction.atomic
def tokens_revoke_all(*, user: User, reason: str, actor=None) -> int:
    """Revoke every live token of `user` (deactivation, password change); returns how many. Callers have
    already decided that the change is allowed, so there is no permission check here."""
    now = clock.now()
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    count = live.update(revoked_at=now, revoked_reason=reason[:200])
    if count:
        audit.record(actor=actor, action="token.revoke_all", obj=user, after={"count": count, "reason": reason})
    return count


def token_list_visible_to(user) -> QuerySet[ApiToken]:
    """One's own tokens, and those of the accounts one may see (administrators and auditors)."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    others = user_list_visible_to(user).values("pk")
    return (ApiToken.objects.filter(Q(user=user) | Q(user__in=others)).select_related("user")
            .order_by("-created_at", "-pk"))


def token_get_for_user(user, pk: int) -> ApiToken:
    found = token_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No token %(pk)s that you may see.") % {"pk": pk})
    return found
