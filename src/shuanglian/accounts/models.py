from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuanglian.access.roles import Role
from shuanglian.core.pii import PIIField


class User(AbstractUser):
    """An account. `division` is where the person works; administrators manage the users of their subtree."""

    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    division = models.ForeignKey("divisions.Division", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("division"))
    # For text-message notifications; personal information like any phone.
    phone = PIIField(_("phone"), kind="phone")
    # Login protection (accounts.signin): wrong passwords in a row, and the end of a lock.
    failed_logins = models.PositiveSmallIntegerField(_("failed sign-ins in a row"), default=0, editable=False)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True, editable=False)
    # Password lifecycle (accounts.passwords): a password someone else chose must be changed at the next
    # sign-in; every password expires PASSWORD_MAX_AGE_DAYS after it was set.
    must_change_password = models.BooleanField(_("must change password"), default=False, editable=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        indexes = [models.Index(fields=["division"], name="user_division_idx")]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Grant(models.Model):
    """A role at a division, or at an organization (which serves a division). It covers the subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    division = models.ForeignKey("divisions.Division", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("division"))
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="grants",
                                     verbose_name=_("organization"))
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(division__isnull=False) & Q(organization__isnull=True))
                | (Q(division__isnull=True) & Q(organization__isnull=False)),
                name="grant_division_xor_organization",
            ),
            models.UniqueConstraint(fields=["user", "role", "division"],
                                    condition=Q(revoked_at__isnull=True, division__isnull=False),
                                    name="grant_active_division_uniq"),
            models.UniqueConstraint(fields=["user", "role", "organization"],
                                    condition=Q(revoked_at__isnull=True, organization__isnull=False),
                                    name="grant_active_org_uniq"),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"], name="grant_user_active_idx")]
        verbose_name = _("grant")

    def __str__(self):
        return f"{self.user} {self.role} @ {self.target}"

    @property
    def target(self):
        return self.division or self.organization

    @property
    def scope_division_id(self):
        return self.division_id or (self.organization.division_id if self.organization_id else None)

    def snapshot(self) -> dict:
        return {"user": self.user.username, "role": self.role,
                "division": self.division.code if self.division_id else None,
                "organization": self.organization_id, "revoked_at": self.revoked_at}


class ApiToken(models.Model):
    """An API token. Only the SHA-256 of the secret is stored (the secret is 160 random bits, so a plain
    hash is enough: there is nothing to guess); the secret is shown once, when it is issued."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60, default="API")
    key_hash = models.CharField(max_length=64, unique=True)
    # The first characters of the secret, so an owner can tell their tokens apart; not enough to use one.
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)
    # Issued after a second factor was checked; a token without one is refused while MFA is required.
    second_factor = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user_active_idx")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_live(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now


class RecoveryCode(models.Model):
    """A one-time code for when the authenticator is lost; stored as a SHA-256, shown once at enrolment."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="recoverycode_user_hash_uniq")]

    def __str__(self):
        return f"recovery code of {self.user_id}"
class PasswordHistory(models.Model):
    """A password hash the user had, so a change cannot go back to one of the last PASSWORD_HISTORY."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    set_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "-set_at"], name="password_history_user_idx")]
        verbose_name = _("former password")

    def __str__(self):
        return f"{self.user} @ {self.set_at:%Y-%m-%d}"


class PendingGrant(models.Model):
    """A grant of a role that reveals personal information, waiting for a second administrator
    (GRANT_APPROVAL=two_person). Approval creates the Grant; the approver differs from the requester."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pending_grants")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    division = models.ForeignKey("divisions.Division", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("division"))
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+", verbose_name=_("organization"))
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    grant = models.OneToOneField(Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(division__isnull=False) & Q(organization__isnull=True))
                | (Q(division__isnull=True) & Q(organization__isnull=False)),
                name="pending_grant_division_xor_organization",
            ),
        ]
        indexes = [models.Index(fields=["outcome", "-requested_at"], name="pending_grant_open_idx")]
        verbose_name = _("pending grant")

    def __str__(self):
        return f"{self.user} {self.role} @ {self.target} ({self.outcome or 'pending'})"

    @property
    def target(self):
        return self.division or self.organization

    def snapshot(self) -> dict:
        return {"user": self.user.username, "role": self.role,
                "division": self.division.code if self.division_id else None,
                "organization": self.organization_id, "requested_by": self.requested_by.username,
                "outcome": self.outcome or "pending"}
