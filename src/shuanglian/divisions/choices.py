from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village")
    GRID = "grid", _("grid")


LEVEL_ORDER: list[str] = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID]
# Statistical division codes: province 2, prefecture 2, county 2, township 3, village 3; a grid adds 3.
CODE_LENGTH: dict[str, int] = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
    Level.GRID: 15,
}
LEVEL_BY_LENGTH: dict[int, str] = {n: level for level, n in CODE_LENGTH.items()}
KEY_WIDTH = 15


def child_level(level: str) -> str | None:
    i = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[i + 1] if i + 1 < len(LEVEL_ORDER) else None


class Kind(models.TextChoices):
    STREET = "street", _("street office")
    TOWN = "town", _("town")
    TOWNSHIP = "township", _("township")
    COMMUNITY = "community", _("community")
    VILLAGE = "village", _("village")
    OTHER = "other", _("other")


KINDS_BY_LEVEL: dict[str, set[str]] = {
    Level.TOWNSHIP: {Kind.STREET, Kind.TOWN, Kind.TOWNSHIP, Kind.OTHER},
    Level.VILLAGE: {Kind.COMMUNITY, Kind.VILLAGE, Kind.OTHER},
}


def kind_from_code(code: str, level: str) -> str:
    """RULES.md: township digits 001-099 street, 100-199 town, 200-399 township, 400-599 other
    (GB/T 10114-2003); village digits 001-199 community, 200-399 village, else other."""
    if level == Level.TOWNSHIP:
        n = int(code[6:9])
        if 1 <= n <= 99:
            return Kind.STREET
        if 100 <= n <= 199:
            return Kind.TOWN
        if 200 <= n <= 399:
            return Kind.TOWNSHIP
        return Kind.OTHER
    if level == Level.VILLAGE:
        n = int(code[9:12])
        if 1 <= n <= 199:
            return Kind.COMMUNITY
        if 200 <= n <= 399:
            return Kind.VILLAGE
        return Kind.OTHER
    return ""


def code_key(code: str) -> int:
    """The code right-padded to 15 digits: a division's subtree is the key range [key, key_upper]."""
    return int(code.ljust(KEY_WIDTH, "0"))


def code_key_upper(code: str) -> int:
    return int(code.ljust(KEY_WIDTH, "9"))
