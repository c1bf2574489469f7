"""The second factor: a TOTP authenticator (RFC 6238, django-otp's TOTPDevice) and one-time recovery
codes (our own, stored as SHA-256: django-otp's static tokens are stored in clear).

Who needs it: administrators, auditors and every role that may reveal personal information (the roles
holding REVEAL_PII in access.roles), and superusers, while MFA_REQUIRED is on. It is asked at web sign-in
(the verification step after the password, accounts.views_mfa) and when an API token is issued.
"""
import hashlib
import secrets
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from shuanglian.access.roles import CAPABILITIES, REVEAL_PII, Role
from shuanglian.access.scope import active_grants
from shuanglian.core import audit, clock
from shuanglian.core.exceptions import DomainError, ValidationFailed

from . import policies
from .models import RecoveryCode, User

# Roles whose holders must use a second factor; derived from the one role table, so a role that is
# given REVEAL_PII later needs it too.
MFA_ROLES = frozenset({Role.ADMIN, Role.AUDITOR} | {role for role, caps in CAPABILITIES.items() if REVEAL_PII in caps})
RECOVERY_CODE_COUNT = 10
# Crockford-like: no 0/O, 1/I/L, so a code copied from paper is read back right. 10 characters = 50 bits.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class MFARequired(DomainError):
    """The account needs a second factor here and none (or a wrong one) was given."""

    code = "mfa_required"
    http_status = 403


def is_enforced() -> bool:
    return bool(settings.MFA_REQUIRED)


def required_for(user) -> bool:
    if not is_enforced() or user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or any(g.role in MFA_ROLES for g in active_grants(user))


def device_for(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normalize_recovery(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _i in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def enrolment_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for `user` (the same one until it is confirmed, so reloading the page
    does not change the QR code under the user's phone)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def enrolment_confirm(*, user: User, code: str) -> list[str]:
    """Confirm the pending authenticator with a code from it; it replaces any earlier one. Returns new
    recovery codes, in clear this once (only their hashes are kept)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationFailed(_("Start the enrolment again: no authenticator is waiting for confirmation."),
                               code="mfa_not_started")
    # Verified outside the write below, so the failure count django-otp keeps is committed even on refusal.
    with transaction.atomic():
        ok = device.verify_token((code or "").strip())
    if not ok:
        raise ValidationFailed(_("That code is not right. Enter the 6 digits the authenticator shows now."),
                               code="mfa_invalid", details={"code": [_("Wrong code.")]})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_recovery_codes(user)
        audit.record(actor=user, action="mfa.enrol", obj=user, after={"recovery_codes": len(codes)})
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _i in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_hash_code(_normalize_recovery(c)))
                                      for c in codes])
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes for an enrolled user (the old ones stop working)."""
    if not is_enrolled(user):
        raise ValidationFailed(_("Set up an authenticator first."), code="mfa_not_enrolled")
    codes = _replace_recovery_codes(user)
    audit.record(actor=user, action="mfa.recovery_codes", obj=user, after={"recovery_codes": len(codes)})
    return codes


def verify(*, user: User, code: str) -> str | None:
    """Check a second factor: the authenticator's current code, or an unused recovery code (used up now).
    Returns "totp" or "recovery", or None when it is wrong (audited `mfa.fail`, never with the code). Commits
    its own bookkeeping (django-otp's throttle after failures, the recovery code's use, the audit event)
    whatever the caller does next."""
    code = (code or "").strip()
    if not code:
        return None
    with transaction.atomic():
        if code.isdigit():
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            if device is not None and device.verify_token(code):
                return "totp"
            audit.record(actor=user, action="mfa.fail", obj=user, after={"kind": "totp"})
            return None
        found = (RecoveryCode.objects.select_for_update()
                 .filter(user=user, code_hash=_hash_code(_normalize_recovery(code)), used_at__isnull=True).first())
        if found is None:
            audit.record(actor=user, action="mfa.fail", obj=user, after={"kind": "recovery"})
            return None
        found.used_at = clock.now()
        found.save(update_fields=["used_at"])
        left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
        audit.record(actor=user, action="mfa.recovery_code_used", obj=user, after={"left": left})
        return "recovery"


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def check_for_token(*, user: User, otp: str | None) -> bool:
    """At token issue: raises MFARequired (403 `mfa_required`) when the account needs a second factor
    and `otp` is missing or wrong. Returns whether a second factor was checked."""
    if not required_for(user):
        return False
    if not is_enrolled(user):
        raise MFARequired(_("Your account needs a second factor. Sign in on the web once to set up an "
                            "authenticator, then send its code as otp."), details={"enrolled": False})
    if not otp:
        raise MFARequired(_("Your account needs a second factor: send the authenticator's current code "
                            "(or a recovery code) as otp."), details={"otp": [_("Required.")], "enrolled": True})
    if verify(user=user, code=otp) is None:
        raise MFARequired(_("The second-factor code is wrong or was already used."),
                          details={"otp": [_("Wrong code.")], "enrolled": True})
    return True


@transaction.atomic
def mfa_reset(*, actor, user: User) -> None:
    """An administrator removes a user's authenticator and recovery codes (a lost phone); the user
    enrols again at the next sign-in."""
    policies.require_manage_user(actor, user)
    removed, _detail = TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit.record(actor=actor, action="mfa.reset", obj=user, after={"devices_removed": removed})


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth URI as an inline SVG QR code (made here: no image service, no CDN)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, grouped by four, for typing into an authenticator by hand."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))
