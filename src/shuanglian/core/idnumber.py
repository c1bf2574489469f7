"""Citizen identity numbers (GB 11643-1999), as RULES.md states them.

18 characters: 6-digit address code, 8-digit birth date, 3-digit sequence (odd male, even female),
1 check character (ISO 7064 MOD 11-2). Lower-case x is accepted and stored upper-case; 15-digit
legacy numbers are refused with a message saying so.
"""
import datetime as dt
import operator
from dataclasses import dataclass

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # Y = sum mod 11 -> character


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
    value = normalize(raw)
    if len(value) == 15 and value.isdigit():
        raise InvalidIDNumber(_("15-digit legacy ID numbers are not accepted; enter the 18-digit number"))
    if len(value) != 18:
        raise InvalidIDNumber(_("an ID number has 18 characters, this has %(n)s") % {"n": len(value)})
    if not value.isascii() or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise InvalidIDNumber(_("an ID number is 17 digits followed by a digit or X"))
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIDNumber(_("the birth date %(d)s in the ID number is not a real date") % {"d": value[6:14]}) from None
    if birth > (today or dt.date.today()) or birth.year < 1850:
        raise InvalidIDNumber(_("the birth date %(d)s in the ID number is impossible") % {"d": birth.isoformat()})
    expected = check_character(value[:17])
    if value[17] != expected:
        raise InvalidIDNumber(_("the check character is %(given)s but should be %(expected)s; the number has a typo")
                              % {"given": value[17], "expected": expected})
    return IDNumber(value=value, address_code=value[:6], birth_date=birth,
                    sex="male" if int(value[16]) % 2 else "female")


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
