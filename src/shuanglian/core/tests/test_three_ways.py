"""The home page, the audit log and the calendar endpoint three ways."""
from django.urls import reverse

from shuanglian.testing.views import Case, three_ways

CASES = {
    "home": Case(lambda w: reverse("home"), permitted="promoter", denied=None, outsider=None, ok=(302,)),
    # The audit log is the auditors' and administrators': a grid promoter is refused. The county's
    # auditor sees every event (no persona holds the audit capability over part of the tree only).
    "audit:list": Case(lambda w: reverse("audit:list"), permitted="auditor", denied="promoter", outsider=None),
    "audit:detail": Case(lambda w: reverse("audit:detail", args=[1]), permitted="auditor", denied="promoter",
                         outsider=None),
    "api-audit-event-list": Case(lambda w: "/api/v1/audit/", api=True, permitted="auditor", denied="promoter",
                                 outsider=None),
    "api-audit-event-detail": Case(lambda w: "/api/v1/audit/1/", api=True, permitted="auditor",
                                   denied="promoter", outsider=None),
    # The schema and the docs page: any signed-in user, nobody else.
    "api-schema": Case(lambda w: "/api/v1/schema/", api=True, permitted="promoter", denied=None, outsider=None),
    "api-docs": Case(lambda w: "/api/v1/docs/", api=True, permitted="promoter", denied=None, outsider=None),
    "api-calendar": Case(lambda w: "/api/v1/calendar/?year=2010", api=True, permitted="promoter", denied=None,
                         outsider=None),
}

test_three_ways = three_ways(CASES)
