from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    DEPARTMENT = "department", _("department")
    SERVICE_CENTER = "service_center", _("service center")
    ASSOCIATION = "association", _("association")
    OFFICE = "office", _("office")
    OTHER = "other", _("other")


class Function(models.TextChoices):
    """What a department does; later modules route work by it (disputes to justice, petitions to ...)."""

    PUBLIC_SECURITY = "public_security", _("public security")
    COURT = "court", _("court")
    PROCURATORATE = "procuratorate", _("procuratorate")
    JUSTICE = "justice", _("justice bureau")
    PETITION = "petition", _("petition bureau")
    CIVIL_AFFAIRS = "civil_affairs", _("civil affairs")
    HUMAN_RESOURCES = "human_resources", _("human resources and social security")
    NATURAL_RESOURCES = "natural_resources", _("natural resources")
    HEALTH = "health", _("health")
    EDUCATION = "education", _("education")
    ORGANIZATION_DEPT = "organization_dept", _("organization department")
    POLITICAL_LEGAL = "political_legal", _("political and legal affairs commission")
    ADMIN_SERVICE = "admin_service", _("administrative service center")
    CONTACT_DAY_OFFICE = "contact_day_office", _("contact-day office")
    SHUANGLIAN_OFFICE = "shuanglian_office", _("Shuanglian office")
    GENERAL = "general", _("general")
