"""Ages and anniversaries from a date, with one rule for 29 February.

A person born on 29 February reaches each age on 1 March in a common year: the Civil Code (art. 201)
ends a period counted in years on the corresponding day of the last month or, when that month has no
such day, on its last day (28 February), so the new age begins the day after, 1 March. Every age,
age filter and milestone in the platform is computed here so they agree on that day.
"""
import datetime as dt


def anniversary(day: dt.date, years: int) -> dt.date:
    """The day `years` after `day` (before, if negative); 29 February falls on 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, and the target year is common
        return dt.date(day.year + years, 3, 1)


def age_on(born: dt.date, on: dt.date) -> int:
    """Completed years on `on` of someone born on `born`."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def born_on_or_before(on: dt.date, age: int) -> dt.date:
    """The latest birth date of someone at least `age` years old on `on` (age_on(b, on) >= age iff b <= it)."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # `on` is 29 February and that year is common: born 1 March is not yet of age
        return dt.date(on.year - age, 2, 28)


def born_between_for_anniversary(first: dt.date, last: dt.date, years: int) -> tuple[dt.date, dt.date]:
    """The birth dates whose `years`-th anniversary falls in first..last (inclusive both ends)."""
    return born_on_or_before(first - dt.timedelta(days=1), years) + dt.timedelta(days=1), born_on_or_before(last, years)
