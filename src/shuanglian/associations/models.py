"""Harmony and safety associations (和谐平安促进会): the posts on them and their meetings.

An association is an `organizations.Organization` of kind `association` (the foundation created one per
township, the general association, and one per village or community, a promotion association); this app
adds no association table of its own, so routing, the organization pages and the demo's lookups keep one
record per association.

People: a post holder is a `teams.Member`, the same person record the grid teams use. The seed draws the
associations from the same villagers, cadres and "five elders" as the teams (a promoter is often a member of
the village's promotion association), and the phone already identifies a person across grids there; a
second person table would split one villager in two and duplicate the phone rule. A person appointed here
who serves on no team is a Member without a team post, which team lists and statistics never count (they
read team posts, not members).

`AssociationPost` mirrors `teams.Membership`: never deleted, an ended row is history, one current president
per association enforced by a partial unique constraint. Posts and meetings are DivisionScoped, attached to
the division the association serves, so restructuring moves them with it and scope is one column.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuanglian.divisions.models import DivisionScoped

from .choices import Post


class AssociationPost(DivisionScoped):
    """A person's post on an association. Current while `ended_on` is empty."""

    association = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                    related_name="association_posts", verbose_name=_("association"))
    member = models.ForeignKey("teams.Member", on_delete=models.PROTECT, related_name="association_posts",
                               verbose_name=_("person"))
    post = models.CharField(_("post"), max_length=16, choices=Post.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["association_id", "id"]
        constraints = [
            # The service checks first to name the holder; this decides between two requests at once.
            models.UniqueConstraint(fields=["association"], condition=Q(post=Post.PRESIDENT, ended_on__isnull=True),
                                    name="association_one_current_president"),
            models.UniqueConstraint(fields=["association", "member"], condition=Q(ended_on__isnull=True),
                                    name="association_one_current_post_per_person"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="association_post_ended_after_started"),
        ]
        indexes = [
            models.Index(fields=["association", "ended_on"], name="association_post_assoc_idx"),
            models.Index(fields=["member", "ended_on"], name="association_post_member_idx"),
        ]
        verbose_name = _("association post")

    def __str__(self):
        return f"{self.member_id} {self.post} @{self.association_id}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Meeting(DivisionScoped):
    """A meeting of an association: when, about what, who came (a count, and the post holders on record
    among them), the minutes and the decisions (one text each)."""

    association = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                    related_name="association_meetings", verbose_name=_("association"))
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    attendee_count = models.PositiveIntegerField(_("attendees"))
    attendees = models.ManyToManyField("teams.Member", blank=True, related_name="association_meetings",
                                       verbose_name=_("attendees on record"))
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.JSONField(_("decisions"), default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["association", "held_on"], name="association_meeting_idx")]
        verbose_name = _("association meeting")

    def __str__(self):
        return f"{self.held_on} {self.topic}"
