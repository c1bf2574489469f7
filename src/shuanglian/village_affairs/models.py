"""Village affairs (村务): the village's bodies and their posts, representatives, meetings with their quorum
and motions, major matters through their procedure with the step timeline, and disclosure."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuanglian.core.deadlines import DeadlineState
from shuanglian.divisions.models import DivisionScoped, scope_column

from . import rules
from .choices import (
    NEW,
    BodyKind,
    DecisionCategory,
    DisclosureKind,
    MeetingKind,
    PledgeKind,
    PostKind,
    ReviewOpinion,
)


class Post(DivisionScoped):
    """A post in the village's party branch or villagers' committee, held by a person of the archive over a
    term (5 years); ending it keeps the row, so the body's history stays."""

    body = models.CharField(_("body"), max_length=14, choices=BodyKind.choices)
    post = models.CharField(_("post"), max_length=10, choices=PostKind.choices)
    person = models.ForeignKey("archives.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    woman = models.BooleanField(_("woman"), default=False)
    held_from = models.DateField(_("from"))
    held_to = models.DateField(_("to"), null=True, blank=True)
    term_ends = models.DateField(_("term ends"))

    class Meta:
        ordering = ["village_id", "body", "held_from", "id"]
        indexes = [models.Index(fields=["village", "body", "held_to"], name="va_post_village_idx")]
        verbose_name = _("post")

    def __str__(self):
        return f"{self.get_body_display()} {self.get_post_display()} {self.name}"


class Pledge(models.Model):
    """A village cadre's pledge (创业承诺 or 辞职承诺): the text, the day signed, the signed document, and the
    township's review of it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="pledges")
    kind = models.CharField(_("kind"), max_length=12, choices=PledgeKind.choices)
    text = models.TextField(_("text"))
    signed_on = models.DateField(_("signed on"))
    document = models.FileField(_("signed document"), upload_to="pledges/%Y/", blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_opinion = models.CharField(_("review opinion"), max_length=8, choices=ReviewOpinion.choices, blank=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["post_id", "kind", "-signed_on"]
        verbose_name = _("pledge")

    def __str__(self):
        return f"{self.get_kind_display()} {self.post.name}"


class Representative(DivisionScoped):
    """A villagers' representative with the households they represent (one per 5-15 households)."""

    person = models.ForeignKey("archives.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    woman = models.BooleanField(_("woman"), default=False)
    households = models.PositiveSmallIntegerField(_("households represented"))
    held_from = models.DateField(_("from"))
    held_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["village_id", "name", "id"]
        indexes = [models.Index(fields=["village", "held_to"], name="va_rep_village_idx")]
        constraints = [models.CheckConstraint(condition=Q(households__gte=5, households__lte=15),
                                              name="va_rep_households_5_15")]
        verbose_name = pgettext_lazy("village", "representative")

    def __str__(self):
        return self.name


class Meeting(DivisionScoped):
    """One meeting of any kind the seed and the law name. The quorum is checked and stored when it is recorded:
    a meeting without it is kept, decides nothing, and says why."""

    village = scope_column(db_index=False)
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    notice_on = models.DateField(_("notice given on"), null=True, blank=True)
    agenda_sent_on = models.DateField(_("agenda sent on"), null=True, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    eligible = models.PositiveIntegerField(_("who may attend"))
    present = models.PositiveIntegerField(_("present"))
    households_eligible = models.PositiveIntegerField(_("households"), default=0)
    households_present = models.PositiveIntegerField(_("households represented"), default=0)
    attendees = models.TextField(_("attendance (named)"), blank=True)
    quorate = models.BooleanField(_("quorum reached"), default=False)
    quorum_text = models.CharField(_("quorum"), max_length=200, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["village", "held_on"], name="va_meeting_village_idx"),
                   models.Index(fields=["kind", "held_on"], name="va_meeting_kind_idx")]
        constraints = [models.CheckConstraint(condition=Q(present__lte=models.F("eligible")),
                                              name="va_meeting_present_le_eligible")]
        verbose_name = _("village meeting")

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()} {self.title}"

    @property
    def quorum_display(self) -> str:
        """The quorum in the reader's language (the stored text is in the recorder's)."""
        return rules.quorum(self.kind, present=self.present, eligible=self.eligible,
                            households_present=self.households_present,
                            households_eligible=self.households_eligible).text()


class Motion(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="motions")
    text = models.CharField(_("motion"), max_length=300)
    votes_for = models.PositiveIntegerField(_("for"))
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    abstaining = models.PositiveIntegerField(_("abstaining"), default=0)
    passed = models.BooleanField(_("passed"), default=False)
    outcome_text = models.CharField(_("outcome"), max_length=200, blank=True)

    class Meta:
        ordering = ["meeting_id", "id"]
        verbose_name = _("motion")

    def __str__(self):
        return self.text

    @property
    def outcome_display(self) -> str:
        """Why the motion passed or not, in the reader's language."""
        return rules.motion_outcome(quorate=self.meeting.quorate, votes_for=self.votes_for,
                                    present=self.meeting.present)


class Decision(DivisionScoped):
    """A major village matter (重大村务) and where it stands in its procedure. `steps` is the procedure's
    step list copied when the matter was proposed; `status` is the last step done (or `new`, `done`, or
    `<step>:pending` while the township reviews)."""

    village = scope_column(db_index=False)
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=DecisionCategory.choices)
    procedure = models.CharField(_("procedure"), max_length=40)
    steps = models.JSONField(_("steps"))
    status = models.CharField(_("status"), max_length=50, default=NEW)
    proposed_on = models.DateField(_("proposed on"))
    voted_on = models.DateField(_("put to the vote on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    result = models.TextField(_("implementation result"), blank=True)
    # The township's review clock (报审), on the shared deadline engine.
    deadline_at = models.DateTimeField(null=True, blank=True)
    yellow_at = models.DateTimeField(null=True, blank=True)
    deadline_state = models.CharField(max_length=6, choices=DeadlineState.choices, default=DeadlineState.OK)
    reviews_overdue = models.PositiveSmallIntegerField(_("reviews answered late"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["village", "proposed_on"], name="va_decision_village_idx"),
                   models.Index(fields=["voted_on"], name="va_decision_voted_idx")]
        verbose_name = _("major village matter")

    def __str__(self):
        return self.title


class DecisionStep(models.Model):
    """The timeline of a decision: one row per action, with what the step needed."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="timeline")
    action = models.CharField(max_length=50)
    from_status = models.CharField(max_length=50)
    to_status = models.CharField(max_length=50)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField()
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    motion = models.ForeignKey(Motion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    place = models.CharField(max_length=100, blank=True)
    on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["decision_id", "at", "id"]

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d}"


class DecisionLink(models.Model):
    """A matter or dispute (or, later, a petition) that arose from a village decision. Kept here so that the
    matters app need not know village affairs."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="links")
    matter = models.ForeignKey("matters.Matter", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "matter"], name="va_link_uniq")]

    def __str__(self):
        return f"decision {self.decision_id} -> matter {self.matter_id}"


class Disclosure(DivisionScoped):
    """An item posted on the village's board (村务公开, 党务公开, 财务公开, a major matter's result)."""

    village = scope_column(db_index=False)
    kind = models.CharField(_("kind"), max_length=10, choices=DisclosureKind.choices)
    title = models.CharField(_("title"), max_length=200)
    posted_on = models.DateField(_("posted on"))
    place = models.CharField(_("place"), max_length=100)
    text = models.TextField(_("text"))
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="disclosures")

    class Meta:
        ordering = ["-posted_on", "-id"]
        indexes = [models.Index(fields=["village", "kind", "posted_on"], name="va_disclosure_idx")]
        verbose_name = _("disclosure")

    def __str__(self):
        return self.title


class DisclosureDue(DivisionScoped):
    """When a village's next posting of a kind is due (general quarterly, finances monthly, a major matter at
    once after its notice): a clock on the shared deadline engine, swept for overdue warnings."""

    village = scope_column(db_index=False)
    kind = models.CharField(_("kind"), max_length=10, choices=DisclosureKind.choices)
    decision = models.OneToOneField(Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="due")
    since = models.DateField()
    deadline_at = models.DateTimeField()
    yellow_at = models.DateTimeField()
    deadline_state = models.CharField(max_length=6, choices=DeadlineState.choices, default=DeadlineState.OK)
    met_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["village", "kind"], name="va_due_village_idx")]

    def __str__(self):
        return f"{self.kind} due {self.deadline_at:%Y-%m-%d}"
