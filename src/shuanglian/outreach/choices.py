from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactDayKind(models.TextChoices):
    TOWNSHIP_VILLAGE = "township_village", _("township-village (the 10th)")
    COUNTY_TOWNSHIP = "county_township", _("county-township (the 20th)")


CONTACT_DAY_OF_MONTH = {ContactDayKind.TOWNSHIP_VILLAGE: 10, ContactDayKind.COUNTY_TOWNSHIP: 20}


class AttendeeRole(models.TextChoices):
    LEADER = "leader", _("leader")
    CADRE = "cadre", _("cadre")
    DEPARTMENT = "department", _("department")
    POLICE = "police", _("police")
    JUDGE = "judge", _("judge")
    LAWYER = "lawyer", _("lawyer")
    OTHER = "other", _("other")


LEGAL_LIAISON_ROLES = [AttendeeRole.POLICE, AttendeeRole.JUDGE, AttendeeRole.LAWYER]
