from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamRole(models.TextChoices):
    PROMOTER = "promoter", _("promoter")  # 网格和谐促进员: exactly one per grid
    VOLUNTEER = "volunteer", _("volunteer")  # 志愿者: any number; a person may serve in several grids


class Category(models.TextChoices):
    VILLAGE_REPRESENTATIVE = "village_representative", _("villagers' representative")
    FIVE_ELDERS = "five_elders", _("one of the five elders")
    SAFETY_ACTIVIST = "safety_activist", _("safety activist")
    COUNTY_OFFICIAL = "county_official", _("county official")
    TOWNSHIP_CADRE = "township_cadre", _("township cadre")
    VILLAGE_CADRE = "village_cadre", _("village cadre")
    NOTABLE = "notable", _("notable villager")
    VETERAN_PARTY_MEMBER = "veteran_party_member", _("veteran party member")
    RETIRED_CADRE = "retired_cadre", _("retired cadre")
    DOCTOR = "doctor", _("doctor")
    TEACHER = "teacher", _("teacher")
    POLICE = "police", _("police officer")
    OTHER = "other", _("other")


class KitItem(models.TextChoices):
    """五个一: the five items each team member is issued."""

    NOTEBOOK = "notebook", _("notebook")
    CARD = "card", _("card")
    PEN = "pen", _("pen")
    BAG = "bag", _("bag")
    BADGE = "badge", _("badge")
