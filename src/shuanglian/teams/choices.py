from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    CARD = "card", pgettext_lazy("kit item", "card")
    PEN = "pen", _("pen")
    BAG = "bag", _("bag")
    BADGE = "badge", _("badge")


# The words a team list uses (the seed's Chinese terms), for imports; a choice's own value is accepted too.
ROLE_WORDS = {"促进员": TeamRole.PROMOTER, "网格和谐促进员": TeamRole.PROMOTER, "和谐促进员": TeamRole.PROMOTER,
              "志愿者": TeamRole.VOLUNTEER, "网格和谐志愿者": TeamRole.VOLUNTEER, "和谐志愿者": TeamRole.VOLUNTEER}
CATEGORY_WORDS = {
    "村民代表": Category.VILLAGE_REPRESENTATIVE, "五老人员": Category.FIVE_ELDERS, "五老": Category.FIVE_ELDERS,
    "平安积极分子": Category.SAFETY_ACTIVIST, "平安志愿者": Category.SAFETY_ACTIVIST,
    "县级机关干部": Category.COUNTY_OFFICIAL, "区级机关干部": Category.COUNTY_OFFICIAL, "机关干部": Category.COUNTY_OFFICIAL,
    "乡镇干部": Category.TOWNSHIP_CADRE, "乡镇(街道)干部": Category.TOWNSHIP_CADRE, "村干部": Category.VILLAGE_CADRE,
    "社区干部": Category.VILLAGE_CADRE, "乡贤": Category.NOTABLE, "知名人士": Category.NOTABLE,
    "老党员": Category.VETERAN_PARTY_MEMBER, "老干部": Category.RETIRED_CADRE, "离退休干部": Category.RETIRED_CADRE,
    "医生": Category.DOCTOR, "教师": Category.TEACHER, "民警": Category.POLICE, "警察": Category.POLICE,
    "其他": Category.OTHER,
}
YES_WORDS = {"是", "1", "y", "yes", "true", "公职", "事业单位"}
NO_WORDS = {"否", "0", "n", "no", "false", ""}
