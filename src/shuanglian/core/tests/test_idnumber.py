"""GB 11643-1999 rules, with the numbers RULES.md gives."""
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shuanglian.core import idnumber


@pytest.mark.parametrize("number,birth,sex", [
    ("11010519491231002X", dt.date(1949, 12, 31), "female"),
    ("440524188001010014", dt.date(1880, 1, 1), "male"),
    ("370101190102039973", dt.date(1901, 2, 3), "male"),
])
def test_published_examples_are_valid(number, birth, sex):
    parsed = idnumber.parse(number)
    assert (parsed.birth_date, parsed.sex, parsed.address_code) == (birth, sex, number[:6])


def test_lower_case_x_is_accepted_and_stored_upper_case():
    assert idnumber.parse("11010519491231002x").value == "11010519491231002X"


@pytest.mark.parametrize("number,message", [
    ("110105491231002", "15-digit legacy"),
    ("11010519491231002", "18 characters"),
    ("110105194912310021", "check character is 1 but should be X"),
    ("110105194902300021", "not a real date"),
    ("1101051949123100A2", "17 digits followed by"),
])
def test_invalid_numbers_say_why(number, message):
    with pytest.raises(idnumber.InvalidIDNumber, match=message):
        idnumber.parse(number)


def test_future_birth_date_is_impossible():
    number = idnumber.make("330803", dt.date(2030, 1, 1), 11)
    with pytest.raises(idnumber.InvalidIDNumber, match="impossible"):
        idnumber.parse(number, today=dt.date(2026, 11, 29))


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)), st.integers(0, 999))
def test_made_numbers_parse_back(birth, seq):
    parsed = idnumber.parse(idnumber.make("330803", birth, seq))
    assert parsed.birth_date == birth and parsed.sex == ("male" if seq % 2 else "female")


@given(st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_typo_is_caught(position, delta):
    good = "11010519491231002X"
    digit = (int(good[position]) + delta) % 10
    typo = good[:position] + str(digit) + good[position + 1:]
    assert not idnumber.is_valid(typo)
