"""Ages and anniversaries: one rule for 29 February (1 March in a common year)."""
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from shuanglian.core.dates import age_on, anniversary, born_between_for_anniversary, born_on_or_before

LEAP_DAY = dt.date(2008, 2, 29)


def test_born_on_29_february_comes_of_age_on_1_march_in_a_common_year():
    assert anniversary(LEAP_DAY, 18) == dt.date(2026, 3, 1)
    assert age_on(LEAP_DAY, dt.date(2026, 2, 28)) == 17
    assert age_on(LEAP_DAY, dt.date(2026, 3, 1)) == 18


def test_born_on_29_february_comes_of_age_on_29_february_in_a_leap_year():
    assert anniversary(LEAP_DAY, 16) == dt.date(2024, 2, 29)
    assert age_on(LEAP_DAY, dt.date(2024, 2, 28)) == 15
    assert age_on(LEAP_DAY, dt.date(2024, 2, 29)) == 16


def test_the_latest_birth_date_of_an_age_on_29_february():
    assert born_on_or_before(dt.date(2028, 2, 29), 18) == dt.date(2010, 2, 28)  # 2010 is common
    assert born_on_or_before(dt.date(2028, 2, 29), 20) == dt.date(2008, 2, 29)
    assert born_on_or_before(dt.date(2026, 3, 1), 18) == dt.date(2008, 3, 1)


def test_anniversaries_in_a_window_include_29_february_on_its_1_march():
    assert born_between_for_anniversary(dt.date(2026, 3, 1), dt.date(2026, 3, 31), 18) == (
        dt.date(2008, 2, 29), dt.date(2008, 3, 31))
    assert born_between_for_anniversary(dt.date(2026, 2, 1), dt.date(2026, 2, 28), 18) == (
        dt.date(2008, 2, 1), dt.date(2008, 2, 28))


days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(days, days, st.integers(min_value=0, max_value=120))
def test_the_helpers_agree(born, on, age):
    assert (age_on(born, on) >= age) == (anniversary(born, age) <= on) == (born <= born_on_or_before(on, age))
    first, last = born_between_for_anniversary(on, on + dt.timedelta(days=30), age)
    assert (first <= born <= last) == (on <= anniversary(born, age) <= on + dt.timedelta(days=30))
