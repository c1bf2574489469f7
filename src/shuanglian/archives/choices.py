from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class RelationToHead(models.TextChoices):
    HEAD = "head", _("head of household")
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    CHILD_IN_LAW = "child_in_law", _("child-in-law")
    GRANDCHILD = "grandchild", _("grandchild")
    PARENT = "parent", _("parent")
    PARENT_IN_LAW = "parent_in_law", _("parent-in-law")
    GRANDPARENT = "grandparent", _("grandparent")
    SIBLING = "sibling", _("sibling")
    OTHER = "other", _("other")


# The words villages write in their spreadsheets, mapped to the codes above.
RELATION_WORDS = {
    "户主": RelationToHead.HEAD, "本人": RelationToHead.HEAD,
    "配偶": RelationToHead.SPOUSE, "妻": RelationToHead.SPOUSE, "夫": RelationToHead.SPOUSE,
    "妻子": RelationToHead.SPOUSE, "丈夫": RelationToHead.SPOUSE,
    "子": RelationToHead.CHILD, "女": RelationToHead.CHILD, "儿子": RelationToHead.CHILD,
    "女儿": RelationToHead.CHILD, "长子": RelationToHead.CHILD, "次子": RelationToHead.CHILD,
    "长女": RelationToHead.CHILD, "次女": RelationToHead.CHILD, "子女": RelationToHead.CHILD,
    "儿媳": RelationToHead.CHILD_IN_LAW, "女婿": RelationToHead.CHILD_IN_LAW,
    "孙子": RelationToHead.GRANDCHILD, "孙女": RelationToHead.GRANDCHILD, "外孙": RelationToHead.GRANDCHILD,
    "外孙女": RelationToHead.GRANDCHILD, "孙子女": RelationToHead.GRANDCHILD,
    "父亲": RelationToHead.PARENT, "母亲": RelationToHead.PARENT, "父母": RelationToHead.PARENT,
    "岳父": RelationToHead.PARENT_IN_LAW, "岳母": RelationToHead.PARENT_IN_LAW,
    "公公": RelationToHead.PARENT_IN_LAW, "婆婆": RelationToHead.PARENT_IN_LAW,
    "祖父": RelationToHead.GRANDPARENT, "祖母": RelationToHead.GRANDPARENT,
    "兄": RelationToHead.SIBLING, "弟": RelationToHead.SIBLING, "姐": RelationToHead.SIBLING,
    "妹": RelationToHead.SIBLING, "兄弟姐妹": RelationToHead.SIBLING,
    "其他": RelationToHead.OTHER,
}


class ResidenceStatus(models.TextChoices):
    REGISTERED = "registered", _("registered and living here")
    RESIDENT = "resident", _("resident, registered elsewhere")
    FLOATING = "floating", _("floating population")
    AWAY = "away", _("registered here, living away")


class RelationKind(models.TextChoices):
    SPOUSE = "spouse", _("spouse")
    PARENT_CHILD = "parent_child", _("parent and child")
    SIBLING = "sibling", _("siblings")
    RELATIVE = "relative", _("relative")
    NEIGHBOR = "neighbor", _("neighbor")
    GUARDIAN = "guardian", _("guardian")
    OTHER = "other", _("other")


# The seed's household labels (code, name, sensitive); the county office can add, rename or retire them.
DEFAULT_TAGS = [
    ("low_income", "低保户", True),
    ("five_guarantee", "五保户", True),
    ("disabled", "残疾人家庭", True),
    ("elderly_alone", "独居老人", True),
    ("left_behind_child", "留守儿童", True),
    ("hardship", "困难户", True),
    ("veteran", "退役军人", False),
    ("party_member", "党员户", False),
]
