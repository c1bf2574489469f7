from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BodyKind(models.TextChoices):
    PARTY_BRANCH = "party_branch", _("party branch")
    COMMITTEE = "committee", _("villagers' committee")


class PostKind(models.TextChoices):
    SECRETARY = "secretary", _("secretary")
    DIRECTOR = "director", _("director")
    DEPUTY = "deputy", _("deputy")
    MEMBER = "member", _("member")


class MeetingKind(models.TextChoices):
    JOINT = "joint", _("two-committee meeting")
    REPRESENTATIVES = "representatives", _("representatives' meeting")
    VILLAGERS = "villagers", _("villagers' meeting")
    PARTY_MEMBERS = "party_members", _("party members' meeting")
    GROUP = "group", _("villager group meeting")


class DecisionCategory(models.TextChoices):
    """Art. 24's matters plus the seed's examples."""

    LAND_CONTRACTING = "land_contracting", _("land contracting plan")
    LEASE = "lease", _("lease of collective land or property")
    COLLECTIVE_ASSETS = "collective_assets", _("disposal of collective assets")
    COLLECTIVE_INCOME = "collective_income", _("use of collective income")
    PUBLIC_WELFARE = "public_welfare", _("public-welfare project")
    HOMESTEAD = "homestead", _("homestead plan")
    COMPENSATION = "compensation", _("land-requisition compensation")
    ALLOWANCES = "allowances", _("lost-work allowances")
    OTHER = "other", _("other matter the meeting designates")


class DisclosureKind(models.TextChoices):
    VILLAGE = "village", _("village affairs")
    PARTY = "party", _("party affairs")
    FINANCE = "finance", _("financial affairs")
    MAJOR = "major", _("major matter")


class PledgeKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("enterprise pledge")
    RESIGNATION = "resignation", _("resignation pledge")


class ReviewOpinion(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("township review", "approved")
    RETURN = "return", _("returned with reasons")


# A decision's status besides the step codes of its procedure.
NEW = "new"
DONE = "done"
PENDING_SUFFIX = ":pending"  # a review step filed and waiting for the township
