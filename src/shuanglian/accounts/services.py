"""Accounts and grants. Every change is audited; administrators act only within their subtree."""
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shuanglian.access.roles import DUTY, LOWEST_LEVEL, ORGANIZATION_ROLES, Duty, Role
from shuanglian.access.scope import forget
from shuanglian.core import audit, clock
from shuanglian.core.exceptions import Conflict, ValidationFailed, full_clean
from shuanglian.divisions.choices import LEVEL_ORDER

from . import passwords, policies, signin
from .models import Grant, User


def _user_snapshot(user: User) -> dict:
    return {"username": user.username, "full_name": user.full_name, "is_active": user.is_active,
            "division": user.division.code if user.division_id else None}


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), code="weak_password", details={"password": exc.messages}) from exc


@transaction.atomic
def user_create(*, actor, username: str, password: str, division, full_name: str = "", email: str = "") -> User:
    policies.require_manage_division(actor, division)
    username = (username or "").strip()
    if not username:
        raise ValidationFailed(_("A user needs a username."), details={"username": "required"})
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("The username %(name)s is taken.") % {"name": username}, code="username_taken",
                       details={"username": "taken"})
    # A password an administrator chose is temporary: the holder replaces it at the first sign-in.
    user = User(username=username, full_name=full_name.strip(), email=email.strip(), division=division,
                must_change_password=actor is not None, password_changed_at=clock.now())
    _check_password(password, user)
    user.set_password(password)
    full_clean(user, exclude=["password"])
    user.save()
    passwords.remember(user)
    audit.record(actor=actor, action="user.create", obj=user, after=_user_snapshot(user))
    return user


@transaction.atomic
def user_update(*, actor, user: User, full_name: str | None = None, email: str | None = None,
                division=None, is_active: bool | None = None) -> User:
    policies.require_manage_user(actor, user)
    before = _user_snapshot(user)
    if division is not None and division.pk != user.division_id:
        policies.require_manage_division(actor, division)
        user.division = division
    if full_name is not None:
        user.full_name = full_name.strip()
    if email is not None:
        user.email = email.strip()
    if is_active is not None:
        user.is_active = is_active
    full_clean(user, exclude=["password"])
    user.save()
    audit.record(actor=actor, action="user.update", obj=user, before=before, after=_user_snapshot(user))
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> User:
    """Set a password: the holder's own (after proving the old one: `password_change`), an administrator's
    reset (temporary: the holder must change it at the next sign-in; it also lifts a lock), or the
    system's (commands)."""
    own = actor is not None and actor.pk == user.pk
    if not own:
        policies.require_manage_user(actor, user)
    _check_password(password, user)
    passwords.refuse_reuse(user, password)
    user.set_password(password)
    user.must_change_password = actor is not None and not own
    user.password_changed_at = clock.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    passwords.remember(user)
    if not own:
        signin.unlock(user)
    audit.record(actor=actor, action="user.set_password", obj=user,
                 after={"by": "self" if own else ("administrator" if actor is not None else "system"),
                        "must_change": user.must_change_password})
    return user


def password_change(*, request, username: str, old_password: str, new_password: str) -> User:
    """The holder changes their password, proving the old one; the check counts towards the lock like a
    sign-in (it is one), and works while a change is due. Not atomic as a whole: a wrong old password's
    failure count must stay committed."""
    user = signin.check_password(request=request, username=username, password=old_password,
                                 purpose="password_change")
    if new_password == old_password:
        raise ValidationFailed(_("The new password is the same as the old one."), code="password_reused",
                               details={"new_password": ["same"]})
    return user_set_password(actor=user, user=user, password=new_password)


@transaction.atomic
def grant_create(*, actor, user: User, role: str, division=None, organization=None) -> Grant:
    if role not in Role.values:
        raise ValidationFailed(_("Unknown role %(role)s.") % {"role": role}, code="invalid_role",
                               details={"role": role})
    if (division is None) == (organization is None):
        raise ValidationFailed(_("A grant is at a division or at an organization, not both."), code="invalid")
    target_division = division or organization.division
    policies.require_manage_user(actor, user)
    policies.require_manage_division(actor, target_division)
    if actor is not None and actor.pk == user.pk:
        raise ValidationFailed(_("Nobody may grant roles to themselves."), code="self_grant")
    if target_division.retired_on:
        raise Conflict(_("%(division)s is retired.") % {"division": target_division}, code="retired")
    if organization is not None and role not in ORGANIZATION_ROLES and role != Role.ADMIN:
        raise ValidationFailed(_("The role %(role)s is granted at a division, not an organization.")
                               % {"role": role}, code="invalid_target")
    lowest = LOWEST_LEVEL.get(role)
    if lowest and division is not None and LEVEL_ORDER.index(division.level) < LEVEL_ORDER.index(lowest):
        raise ValidationFailed(_("The role %(role)s is granted at a %(level)s.") % {"role": role, "level": lowest},
                               code="invalid_target")
    duties = {DUTY[g.role] for g in user.grants.filter(revoked_at__isnull=True)}
    if user.is_superuser:
        duties.add(Duty.ADMIN)  # a superuser is an administrator, whatever their grants
    if duties and duties != {DUTY[role]}:
        raise Conflict(
            _("%(user)s already holds %(duty)s roles; administrator, operator and auditor duties are held by "
              "different accounts.") % {"user": user.username, "duty": ", ".join(sorted(duties))},
            code="duty_separation")
    grant = Grant(user=user, role=role, division=division, organization=organization,
                  granted_by=actor if getattr(actor, "pk", None) else None)
    try:
        with transaction.atomic():
            grant.save()
    except IntegrityError as exc:
        raise Conflict(_("%(user)s already holds this role there.") % {"user": user.username},
                       code="duplicate_grant") from exc
    forget(user)
    audit.record(actor=actor, action="grant.create", obj=grant, after=grant.snapshot())
    return grant


@transaction.atomic
def grant_revoke(*, actor, grant: Grant, reason: str = "") -> Grant:
    policies.require_manage_user(actor, grant.user)
    policies.require_manage_division(actor, grant.division or grant.organization.division)
    if grant.revoked_at:
        raise Conflict(_("This grant was already revoked."), code="already_revoked")
    before = grant.snapshot()
    grant.revoked_at = clock.now()
    grant.save(update_fields=["revoked_at"])
    forget(grant.user)
    audit.record(actor=actor, action="grant.revoke", obj=grant, before=before,
                 after={**grant.snapshot(), "reason": reason})
    return grant
