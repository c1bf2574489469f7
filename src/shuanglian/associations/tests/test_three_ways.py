"""The association pages and endpoints three ways (shuanglian.testing.views). Reads need associations.view (a
promoter sees the village's association), writes associations.manage over the association's division; the
outsider (a township cadre of 柯城区) holds both there, so the refusals below are about scope, not capability."""
import datetime as dt
from dataclasses import replace

from django.urls import reverse

from shuanglian.associations import services
from shuanglian.organizations.choices import OrganizationKind
from shuanglian.organizations.services import organization_create
from shuanglian.testing.views import Case, three_ways

D = dt.date(2010, 3, 1)
NAME = "樟潭社区和谐平安促进会"


def _association_in(village: str, name: str):
    def make(w):
        """A village's promotion association, with a president (post) to end and list."""
        association = organization_create(actor=None, division=getattr(w.district, village), name=name,
                                          kind=OrganizationKind.ASSOCIATION)
        post = services.post_appoint(actor=None, association=association, post="president", name="王会长",
                                     phone="13912345678", started_on=D)
        return {"association": association, "post": post}

    return make


_association = _association_in("village", NAME)


def _pk(w):
    return w.made["association"].pk


def _absent(response, w):
    return w.made["association"].name not in response.content.decode()


def _no_rows(response, w):
    return response.json()["results"] == []


APPOINT = {"post": "member", "name": "李四", "phone": "13700000000", "category": "other", "started_on": "2010-03-01"}
MEETING = {"held_on": "2010-03-15", "topic": "一季度排查", "attendee_count": 9}

CASES = {
    "associations:list": Case(lambda w: reverse("associations:list"), permitted="township_cadre",
                              denied="department_member", outsider="outsider", make=_association, hidden=_absent),
    "associations:detail": Case(lambda w: reverse("associations:detail", args=[_pk(w)]), permitted="promoter",
                                denied="department_member", outsider="outsider", make=_association),
    # A persona who may see but not manage gets the refusal on the form (422), by design; the denied way here is
    # the persona with no associations capability at all.
    "associations:appoint": Case(lambda w: reverse("associations:appoint", args=[_pk(w)]), method="post",
                                 data=lambda w: APPOINT, permitted="village_cadre", denied="nobody",
                                 outsider="outsider", make=_association, ok=(302,)),
    "associations:end-post": Case(lambda w: reverse("associations:end-post", args=[_pk(w), w.made["post"].pk]),
                                  method="post", data=lambda w: {"reason": "换届"}, permitted="village_cadre",
                                  denied="nobody", outsider="outsider", make=_association, ok=(302,)),
    "associations:meeting": Case(lambda w: reverse("associations:meeting", args=[_pk(w)]), method="post",
                                 data=lambda w: MEETING, permitted="township_cadre", denied="nobody",
                                 outsider="outsider", make=_association, ok=(302,)),
    "api-association-list": Case(lambda w: "/api/v1/associations/", api=True, permitted="promoter",
                                 denied="department_member", outsider="outsider", make=_association,
                                 hidden=_no_rows),
    "api-association-detail": Case(lambda w: f"/api/v1/associations/{_pk(w)}/", api=True, permitted="promoter",
                                   denied="department_member", outsider="outsider", make=_association),
    # The API refuses a write with 403 where the persona sees the association but may not manage it.
    "api-association-posts": Case(lambda w: f"/api/v1/associations/{_pk(w)}/posts/", api=True, method="post",
                                  data=lambda w: APPOINT, permitted="village_cadre", denied="promoter",
                                  outsider="outsider", make=_association, ok=(201,)),
    "api-association-end-post": Case(lambda w: f"/api/v1/associations/{_pk(w)}/posts/{w.made['post'].pk}/end/",
                                     api=True, method="post", data=lambda w: {"reason": "换届"},
                                     permitted="village_cadre", denied="promoter", outsider="outsider",
                                     make=_association),
    "api-association-meetings": Case(lambda w: f"/api/v1/associations/{_pk(w)}/meetings/", api=True,
                                     method="post", data=lambda w: MEETING, permitted="township_cadre",
                                     denied="archive_keeper", outsider="outsider", make=_association, ok=(201,)),
}

test_three_ways = three_ways(CASES)

# The same names' other method (a read where CASES posts): the scope of the reads, three ways too.
READS = {
    "api-association-posts": Case(lambda w: f"/api/v1/associations/{_pk(w)}/posts/", api=True,
                                  permitted="promoter", denied="department_member", outsider="outsider",
                                  make=_association),
    "api-association-meetings": Case(lambda w: f"/api/v1/associations/{_pk(w)}/meetings/", api=True,
                                     permitted="promoter", denied="department_member", outsider="outsider",
                                     make=_association),
}

test_reads_three_ways = three_ways(READS)

# Within the county: 上方村's association, which the county office manages and 樟潭's township cadre (who holds
# both capabilities in 樟潭) cannot reach.
NEAR = {f"{name} {case.method}": replace(case, make=_association_in("village3", "上方村和谐平安促进会"),
                                         permitted="county_office", outsider="township_cadre")
        for cases in (CASES, READS) for name, case in cases.items()}

test_near_three_ways = three_ways(NEAR)
