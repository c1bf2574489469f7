"""Accounts and grants. Every change is audited; administrators act only within their subtree."""
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from shuanglian.access.roles import DUTY, LOWEST_LEVEL, MANAGE_USERS, ORGANIZATION_ROLES, Duty, Role
from shuanglian.access.scope import forget, scope_for
from shuanglian.core import audit, clock
from shuanglian.core.audit import actor_label
from shuanglian.core.capabilities import VIEW_AUDIT
from shuanglian.core.exceptions import Conflict, PermissionDenied, ValidationFailed, full_clean
from shuanglian.divisions.choices import LEVEL_ORDER
from shuanglian.notifications.services import notify

from . import passwords, policies, signin
from .models import Grant, PendingGrant, User
from .tokens import tokens_revoke_all


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
    deactivated = is_active is False and user.is_active
    if is_active is not None:
        user.is_active = is_active
    full_clean(user, exclude=["password"])
    user.save()
    if deactivated:
        # A deactivated account's API clients stop at once, not when their tokens expire.
        tokens_revoke_all(actor=actor, user=user, reason="deactivated")
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
    # Tokens issued under the old password would outlive it (finding 7).
    tokens_revoke_all(user=user, reason="password changed", actor=actor)
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


def _check_grant(*, actor, user: User, role: str, division, organization) -> None:
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


def _grant_save(*, actor, user: User, role: str, division, organization, granted_by) -> Grant:
    grant = Grant(user=user, role=role, division=division, organization=organization, granted_by=granted_by)
    try:
        with transaction.atomic():
            grant.save()
    except IntegrityError as exc:
        raise Conflict(_("%(user)s already holds this role there.") % {"user": user.username},
                       code="duplicate_grant") from exc
    forget(user)
    audit.record(actor=actor, action="grant.create", obj=grant, after=grant.snapshot())
    if actor is not None and policies.role_reveals_pii(role):
        _alert_auditors(grant, actor)
    return grant


def _users_covering(capability: str, role: str, division, *, exclude=()) -> list[User]:
    """Active holders of `role` whose `capability` reaches `division` (auditors, administrators: a few)."""
    holders = User.objects.filter(is_active=True, grants__role=role, grants__revoked_at__isnull=True) \
        .exclude(pk__in=[u.pk for u in exclude if u is not None]).distinct()
    return [u for u in holders if scope_for(u, capability).covers(division)]


def _alert_auditors(grant: Grant, actor) -> None:
    """A role that reveals personal information was granted: the auditors over its division hear at once."""
    division = grant.division or grant.organization.division
    auditors = _users_covering(VIEW_AUDIT, Role.AUDITOR, division)
    notify(recipients=auditors, kind="grant.pii", obj=grant,
           url=reverse("accounts:user_detail", kwargs={"pk": grant.user_id}),
           title=_("%(actor)s granted %(user)s the role %(role)s at %(target)s, which reveals personal "
                   "information.") % {"actor": actor_label(actor), "user": grant.user.username,
                                      "role": grant.get_role_display(), "target": grant.target})


@transaction.atomic
def grant_create(*, actor, user: User, role: str, division=None, organization=None) -> Grant | PendingGrant:
    """Grant a role. A role that reveals personal information alerts the auditors (GRANT_APPROVAL=alert, the
    default) or, with GRANT_APPROVAL=two_person, waits for a second administrator (a PendingGrant is
    returned). Grants by the system (actor None: commands, the demo builder) take effect at once."""
    _check_grant(actor=actor, user=user, role=role, division=division, organization=organization)
    if actor is not None and policies.role_reveals_pii(role) and settings.GRANT_APPROVAL == "two_person":
        return _grant_request(actor=actor, user=user, role=role, division=division, organization=organization)
    return _grant_save(actor=actor, user=user, role=role, division=division, organization=organization,
                       granted_by=actor if getattr(actor, "pk", None) else None)


def _grant_request(*, actor, user: User, role: str, division, organization) -> PendingGrant:
    open_ = PendingGrant.objects.filter(user=user, role=role, division=division, organization=organization,
                                        outcome="")
    if open_.exists():
        raise Conflict(_("This grant already awaits a second administrator."), code="duplicate_grant")
    pending = PendingGrant(user=user, role=role, division=division, organization=organization,
                           requested_by=actor, requested_at=clock.now())
    full_clean(pending)
    pending.save()
    audit.record(actor=actor, action="grant.request", obj=pending, after=pending.snapshot())
    target = division or organization.division
    notify(recipients=_users_covering(MANAGE_USERS, Role.ADMIN, target, exclude=[actor]), kind="grant.pending",
           obj=pending, url=reverse("accounts:pending_grants"),
           title=_("%(actor)s asks to grant %(user)s the role %(role)s at %(target)s: a second administrator "
                   "approves or rejects it.") % {"actor": actor_label(actor), "user": user.username,
                                                   "role": pending.get_role_display(), "target": pending.target})
    return pending


@transaction.atomic
def pending_grant_decide(*, actor, pending: PendingGrant, approve: bool) -> PendingGrant:
    """A second administrator approves (the grant is made) or rejects a pending grant."""
    pending = PendingGrant.objects.select_for_update().get(pk=pending.pk)
    if pending.outcome:
        raise Conflict(_("This grant was already %(outcome)s.") % {"outcome": pending.get_outcome_display()},
                       code="already_decided")
    if actor is not None and actor.pk == pending.requested_by_id:
        raise PermissionDenied(_("A second administrator decides: not the one who asked for the grant."),
                               code="same_administrator")
    if approve:
        _check_grant(actor=actor, user=pending.user, role=pending.role, division=pending.division,
                     organization=pending.organization)
        pending.grant = _grant_save(actor=actor, user=pending.user, role=pending.role, division=pending.division,
                                    organization=pending.organization, granted_by=pending.requested_by)
    else:
        policies.require_manage_user(actor, pending.user)
        policies.require_manage_division(actor, pending.division or pending.organization.division)
    pending.outcome = PendingGrant.Outcome.APPROVED if approve else PendingGrant.Outcome.REJECTED
    pending.decided_by = actor if getattr(actor, "pk", None) else None
    pending.decided_at = clock.now()
    pending.save(update_fields=["outcome", "decided_by", "decided_at", "grant"])
    audit.record(actor=actor, action=f"grant.{'approve' if approve else 'reject'}", obj=pending,
                 after=pending.snapshot())
    return pending


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
