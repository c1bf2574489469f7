"""The one reading of a page's `?year=` (registers and statistics of mediation, petitions, village affairs)."""
from django.test import RequestFactory

from shuanglian.core import clock
from shuanglian.core.htmx import year_param


def test_a_plausible_year_is_taken_and_anything_else_is_this_year():
    rf = RequestFactory()
    assert year_param(rf.get("/", {"year": "2010"})) == 2010
    for raw in ("", "abc", "-1", "1", "99999", "2010.5"):
        assert year_param(rf.get("/", {"year": raw})) == clock.today().year, raw
