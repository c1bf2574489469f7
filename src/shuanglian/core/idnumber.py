"""Citizen identity numbers (GB 11643-1999), as RULES.md states them.

18 characters: 6-digit address code, 8-digit birth date, 3-digit sequence (odd male, even female),
1 check character (ISO 7064 MOD 11-2). Lower-case x is accepted and stored upper-case; 15-digit
legacy numbers are refused with a message saying so.
"""
import datetime as dt
import operator
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # Y = sum mod 11 -> character
assert WEIGHTS == tuple(2 ** (17 - i) % 11 for i in range(17))  # what parse_parts' shortcut relies on


class InvalidIDNumber(ValueError):
    """The message says what is wrong, for the user to fix."""


@dataclass(frozen=True)
class IDNumber:
    value: str
    address_code: str
    birth_date: dt.date
    sex: str  # "male" / "female"


_DIGIT = {str(d): d for d in range(10)}


def check_character(first17: str) -> str:
    return CHECK_CHARS[sum(map(operator.mul, WEIGHTS, map(_DIGIT.__getitem__, first17))) % 11]


def normalize(raw: str) -> str:
    return (raw or "").strip().replace(" ", "").upper()


def parse(raw: str, *, today: dt.date | None = None) -> IDNumber:
    value, birth, sex = parse_parts(raw, today=today)
    return IDNumber(value=value, address_code=value[:6], birth_date=birth, sex=sex)


@lru_cache(maxsize=1 << 16)  # about 180 years of distinct dates: bulk imports repeat them endlessly
def _birth_date(digits: str) -> dt.date:
    return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))


def parse_parts(raw: str, *, today: dt.date | None = None) -> tuple[str, dt.date, str]:
    """parse() as a plain (value, birth date, sex) tuple: the same checks and messages, for bulk imports
    that check millions of numbers and need no IDNumber object for each."""
    if isinstance(raw, str) and len(raw) == 18 and raw.isdigit() and raw.isascii():
        value = raw  # most numbers: 18 ASCII digits, which normalize() would return unchanged
    else:
        value = normalize(raw)
        if len(value) != 18:
            if len(value) == 15 and value.isdigit():
                raise InvalidIDNumber(_("15-digit legacy ID numbers are not accepted; enter the 18-digit number"))
            raise InvalidIDNumber(_("an ID number has 18 characters, this has %(n)s") % {"n": len(value)})
        if not value.isascii() or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
            raise InvalidIDNumber(_("an ID number is 17 digits followed by a digit or X"))
    try:
        birth = _birth_date(value[6:14])
    except ValueError:
        raise InvalidIDNumber(_("the birth date %(d)s in the ID number is not a real date") % {"d": value[6:14]}) from None
    if birth > (today or dt.date.today()) or birth.year < 1850:
        raise InvalidIDNumber(_("the birth date %(d)s in the ID number is impossible") % {"d": birth.isoformat()})
    # check_character(value[:17]) in one C call. The weights are 2**17 ... 2**1 modulo 11, and 13 = 2
    # (mod 11), so the 17 digits (checked ASCII above) read as a base-13 number give half the weighted
    # sum modulo 11.
    expected = CHECK_CHARS[2 * int(value[:17], 13) % 11]
    if value[17] != expected:
        raise InvalidIDNumber(_("the check character is %(given)s but should be %(expected)s; the number has a typo")
                              % {"given": value[17], "expected": expected})
    return value, birth, "male" if value[16] in "13579" else "female"


def is_valid(raw: str) -> bool:
    try:
        parse(raw)
    except InvalidIDNumber:
        return False
    return True


def make(address_code: str, birth: dt.date, sequence: int) -> str:
    """Build a valid number (for generators and tests)."""
    first17 = f"{address_code}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
