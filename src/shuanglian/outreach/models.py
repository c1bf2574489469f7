"""Outreach: contact days (民情沟通日, the 10th and the 20th) with their attendees and village visits,
and grid teams' household visits (走访). The tables kept the names they had under `matters`."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuanglian.divisions.models import DivisionScoped

from .choices import AttendeeRole, ContactDayKind


class ContactDay(DivisionScoped):
    """One contact day: the 10th at a township (its cadres visit its villages) or the 20th at the county
    (leaders and departments take up what townships could not solve; the legal liaison attends)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ContactDayKind.choices)
    date = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"), blank=True)
    held = models.BooleanField(_("held"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    audit_type = "matters.contactday"  # the type its history was recorded under (core.audit.type_of)

    class Meta:
        db_table = "matters_contactday"
        ordering = ["-date", "division_id"]
        constraints = [models.UniqueConstraint(fields=["division", "kind", "date"], name="contact_day_uniq")]
        indexes = [models.Index(fields=["township", "date"], name="contact_day_township_idx"),
                   models.Index(fields=["date", "kind"], name="contact_day_date_idx")]
        verbose_name = _("contact day")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class ContactDayAttendee(models.Model):
    contact_day = models.ForeignKey(ContactDay, on_delete=models.CASCADE, related_name="attendees")
    # The name is the record; the account link is a convenience that may go.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    name = models.CharField(_("name"), max_length=60)
    role = models.CharField(_("role"), max_length=12, choices=AttendeeRole.choices, default=AttendeeRole.CADRE)
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    attended = models.BooleanField(_("attended"), default=False)

    audit_type = "matters.contactdayattendee"  # the type its history was recorded under (core.audit.type_of)

    class Meta:
        db_table = "matters_contactdayattendee"
        ordering = ["contact_day_id", "role", "name"]
        verbose_name = _("attendee")

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class ContactDayVisit(models.Model):
    """A visit made on a contact day: who went to which village and what they found."""

    contact_day = models.ForeignKey(ContactDay, on_delete=models.CASCADE, related_name="visits")
    village = models.ForeignKey("divisions.Division", on_delete=models.PROTECT, related_name="+")
    visitors = models.CharField(_("visitors"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    households_visited = models.PositiveIntegerField(_("households visited"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_type = "matters.contactdayvisit"  # the type its history was recorded under (core.audit.type_of)

    class Meta:
        db_table = "matters_contactdayvisit"
        ordering = ["contact_day_id", "village_id"]
        verbose_name = _("contact-day visit")

    def __str__(self):
        return f"{self.village} {self.visitors}"


class Visit(DivisionScoped):
    """A grid team's visit to a household (attached to the household's grid)."""

    household = models.ForeignKey("archives.Household", on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    visitor_names = models.CharField(_("visitors"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_type = "matters.visit"  # the type its history was recorded under (core.audit.type_of)

    class Meta:
        db_table = "matters_visit"
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["grid", "visited_on"], name="visit_grid_date_idx"),
                   models.Index(fields=["village", "visited_on"], name="visit_village_date_idx"),
                   models.Index(fields=["township", "visited_on"], name="visit_township_date_idx"),
                   models.Index(fields=["household", "visited_on"], name="visit_household_idx")]
        verbose_name = _("visit")

    def __str__(self):
        return f"{self.household} {self.visited_on}"
