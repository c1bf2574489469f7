"""Grid teams ("1+X"): one promoter and any number of volunteers per grid.

`Member` is the person (name, phone, category, employer); `Membership` is their post on one grid's team,
with a start and, once it ends, an end date. Memberships are never deleted: an ended row is the team's
history. A person may hold volunteer posts in several grids at once.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuanglian.core.pii import PIIField
from shuanglian.divisions.models import DivisionScoped

from .choices import Category, TeamRole


class Member(models.Model):
    """A person serving on grid teams. The phone is encrypted, with a keyed hash that identifies the person
    across grids (the same phone is the same member)."""

    name = models.CharField(_("name"), max_length=50)
    phone = PIIField(_("phone"), kind="phone")
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    from_public_institution = models.BooleanField(_("from a public institution"), default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="team_members", verbose_name=_("user account"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["phone_hash"], condition=~Q(phone_hash=""), name="team_member_phone_uniq"),
        ]
        verbose_name = _("team member")

    def __str__(self):
        return self.name


class Membership(DivisionScoped):
    """A member's post on a grid's team, attached to the grid. Current while `ended_on` is empty."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=TeamRole.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["grid_id", "role", "id"]
        constraints = [
            # The rule of the post: exactly one current promoter per grid. The service checks first to name
            # the holder; this constraint decides between two requests that checked at the same time.
            models.UniqueConstraint(fields=["grid"], condition=Q(role=TeamRole.PROMOTER, ended_on__isnull=True),
                                    name="team_one_current_promoter"),
            models.UniqueConstraint(fields=["grid", "member"], condition=Q(ended_on__isnull=True),
                                    name="team_one_current_post_per_grid"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="team_ended_after_started"),
        ]
        indexes = [
            models.Index(fields=["township", "role"], name="team_township_role_idx",
                         condition=Q(ended_on__isnull=True)),
            models.Index(fields=["village", "role"], name="team_village_role_idx", condition=Q(ended_on__isnull=True)),
            models.Index(fields=["member", "ended_on"], name="team_member_idx"),
        ]
        verbose_name = _("team membership")

    def __str__(self):
        return f"{self.member_id} {self.role} @{self.grid_id}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None
