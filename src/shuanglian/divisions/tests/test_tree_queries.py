""""Everything under X" is one indexed range query, on SQLite and PostgreSQL."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.divisions.models import Division
from shuanglian.divisions.selectors import division_child_counts


def test_subtree_is_one_query_on_an_index(district):
    qs = Division.objects.current().within(district.township)
    with CaptureQueriesContext(connection) as ctx:
        codes = set(qs.values_list("code", flat=True))
    assert len(ctx.captured_queries) == 1
    assert codes == {district.township.code, district.village.code, district.village2.code,
                     district.grid.code, district.grid2.code, district.grid3.code}
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET enable_seqscan = off")  # tiny test tables: ask whether an index *can* serve it
            plan = qs.explain()
            cur.execute("SET enable_seqscan = on")
    else:
        plan = qs.explain()
    assert "division_key_idx" in plan or "division_level_key_idx" in plan, plan


def test_child_counts_per_level(district):
    assert division_child_counts(district.county) == {"township": 2, "village": 3, "grid": 4}
    assert division_child_counts(district.grid) == {}
