"""The team pages and endpoints three ways (shuanglian.testing.views): rosters, members, training, kits, cards,
units' staff. Reads need teams.view (the department member holds none: denied), writes teams.manage (a promoter
reads only: denied); the outsider, a township cadre of 柯城区, holds both there, so a refusal is about scope."""
import datetime as dt
from dataclasses import replace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from shuanglian.teams import jobs, services
from shuanglian.teams.services import kits, staff, training
from shuanglian.testing.views import Case, three_ways

D = dt.date(2010, 3, 1)
PROMOTER = "王大明"
TOPIC = "矛盾纠纷调处"


def _team(w):
    """A promoter and a volunteer in the village's first grid, a training session of 樟潭 with a lecturer, a
    pen issued to the promoter, and a police officer submitted as volunteering staff."""
    promoter = services.membership_appoint(actor=None, grid=w.district.grid, role="promoter", name=PROMOTER,
                                           phone="13912345678", category="doctor", started_on=D)
    volunteer = services.membership_appoint(actor=None, grid=w.district.grid, role="volunteer", name="李医生",
                                            phone="13900000001", category="doctor", started_on=D)
    lecturer = training.lecturer_create(actor=None, name="周讲师", department=w.personas.police, topics="调解")
    session = training.session_create(actor=None, township=w.district.township, topic=TOPIC,
                                      held_on=dt.date(2010, 5, 10), trainers=[lecturer])
    pen = kits.kit_issue(actor=None, membership=promoter, items=["pen"], issued_on=D)[0]
    submitted = staff.staff_submit(actor=None, organization=w.personas.police,
                                   rows=[{"name": "王警官", "phone": "13900000501", "category": "民警"}])
    return {"promoter": promoter, "volunteer": volunteer, "lecturer": lecturer, "session": session, "pen": pen,
            "officer": submitted["members"][0]}


def _import_job(w):
    """The village cadre's team-list import of one good row, run on commit (inline) as a worker would."""
    upload = SimpleUploadedFile("team.csv", (f"网格编码,姓名,联系电话,角色,类别\n{w.district.grid.code},王大明,"
                                             "13912345678,促进员,五老人员\n").encode())
    with override_settings(SHUANGLIAN_TASKS="inline"), TestCase.captureOnCommitCallbacks(execute=True):
        job = jobs.team_import_job_create(actor=w.personas.village_cadre, upload=upload)
    return job


def _absent(*texts):
    """A list answered without the records: none of `texts` (callables of the world) in the body."""
    return lambda r, w: not any(text(w) in r.content.decode() for text in texts)


def _no_rows(r, w):
    return r.json()["results"] == []


def _code(name):
    return lambda w: getattr(w.district, name).code


def _within_village(name):
    return lambda w: f"{reverse(name)}?within={w.district.village.code}"


CASES = {
    # Report pages under a division: the outsider asking about 樟潭社区 reads 404.
    "teams:coverage": Case(_within_village("teams:coverage"), permitted="village_cadre",
                           denied="department_member", make=_team),
    "teams:stats": Case(_within_village("teams:stats"), permitted="village_cadre", denied="department_member",
                        make=_team),
    # The upload form and its template name no record: no scope to be out of (the rows' scope is the importer's,
    # tested in test_import).
    "teams:import": Case(lambda w: reverse("teams:import"), permitted="village_cadre", denied="promoter",
                         outsider=None),
    "teams:import_template": Case(lambda w: reverse("teams:import_template"), permitted="village_cadre",
                                  denied="promoter", outsider=None),
    # A team-list import is its uploader's (it names people and phones): the outsider, a manager elsewhere, reads 404.
    "teams:import_job": Case(lambda w: reverse("teams:import_job", args=[w.made.pk]), permitted="village_cadre",
                             denied="promoter", make=_import_job),
    "api-team-import-list": Case(lambda w: "/api/v1/team-imports/", api=True, permitted="village_cadre",
                                 denied="promoter", make=_import_job, hidden=_no_rows),
    "api-team-import-detail": Case(lambda w: f"/api/v1/team-imports/{w.made.pk}/", api=True,
                                   permitted="village_cadre", denied="promoter", make=_import_job),
    "teams:staff": Case(lambda w: reverse("teams:staff"), permitted="county_office", denied="promoter",
                        make=_team, hidden=_absent(lambda w: "王警官")),
    "teams:roster": Case(lambda w: reverse("teams:roster", args=[w.district.grid.code]), permitted="promoter",
                         denied="department_member", make=_team),
    "teams:member": Case(lambda w: reverse("teams:member", args=[w.made["promoter"].pk]), permitted="promoter",
                         denied="department_member", make=_team),
    "teams:sessions": Case(lambda w: reverse("teams:sessions"), permitted="promoter", denied="department_member",
                           make=_team, hidden=_absent(lambda w: TOPIC)),
    "teams:session": Case(lambda w: reverse("teams:session", args=[w.made["session"].pk]), permitted="promoter",
                          denied="department_member", make=_team),
    # Printing the cards is a manager's act: the promoter, who reads the roster, is refused.
    "teams:card": Case(lambda w: reverse("teams:card", args=[w.district.grid.code]), permitted="village_cadre",
                       denied="promoter", make=_team),
    "teams:card_pdf": Case(lambda w: reverse("teams:card_pdf", args=[w.district.grid.code]),
                           permitted="village_cadre", denied="promoter", make=_team),
    "teams:village_cards_pdf": Case(lambda w: reverse("teams:village_cards_pdf", args=[w.district.village.code]),
                                    permitted="village_cadre", denied="promoter", make=_team),
    "api-team-member-list": Case(lambda w: "/api/v1/team-members/", api=True, permitted="promoter",
                                 denied="department_member", make=_team, hidden=_no_rows),
    "api-team-member-detail": Case(lambda w: f"/api/v1/team-members/{w.made['promoter'].pk}/", api=True,
                                   permitted="promoter", denied="department_member", make=_team),
    "api-team-member-end": Case(lambda w: f"/api/v1/team-members/{w.made['volunteer'].pk}/end/", api=True,
                                method="post", data=lambda w: {"reason": "moved"}, permitted="village_cadre",
                                denied="promoter", make=_team),
    "api-team-member-training": Case(lambda w: f"/api/v1/team-members/{w.made['promoter'].pk}/training/",
                                     api=True, permitted="promoter", denied="department_member", make=_team),
    # Figures over all one may see: those who see none of the teams get zeros.
    "api-team-stats": Case(lambda w: "/api/v1/stats/teams/", api=True, permitted="village_cadre",
                           denied="department_member", make=_team,
                           hidden=lambda r, w: r.json()["promoters"] == 0 and r.json()["volunteers"] == 0),
    "api-team-coverage": Case(lambda w: "/api/v1/team-coverage/", api=True, permitted="village_cadre",
                              denied="department_member", make=_team,
                              hidden=_absent(_code("grid"), _code("grid2"), lambda w: PROMOTER)),
    "api-team-staff": Case(lambda w: "/api/v1/team-staff/", api=True, permitted="county_office",
                           denied="promoter", make=_team, hidden=_no_rows),
    # The police's staff to the village's first grid: the department member may submit, not assign (403); the
    # outsider may assign in 柯城区 but not the police's staff (its unit reads as 404).
    "api-team-staff-assign": Case(lambda w: "/api/v1/team-staff/assign/", api=True, method="post",
                                  data=lambda w: {"organization": w.personas.police.pk,
                                                  "pairs": [{"member": w.made["officer"],
                                                             "grid": w.district.grid.code}]},
                                  permitted="county_office", denied="department_member", make=_team),
    "api-training-session-list": Case(lambda w: "/api/v1/training-sessions/", api=True, permitted="promoter",
                                      denied="department_member", make=_team, hidden=_no_rows),
    "api-training-session-detail": Case(lambda w: f"/api/v1/training-sessions/{w.made['session'].pk}/",
                                        api=True, permitted="promoter", denied="department_member", make=_team),
    "api-training-session-attendance": Case(
        lambda w: f"/api/v1/training-sessions/{w.made['session'].pk}/attendance/", api=True, method="post",
        data=lambda w: {"members": [w.made["promoter"].member_id]}, permitted="township_cadre", denied="promoter",
        make=_team),
    # The lecturer group is 衢江区's (the police's officer): the outsider, who reads teams in 柯城区, does not see it.
    "api-lecturer-list": Case(lambda w: "/api/v1/lecturers/", api=True, permitted="promoter",
                              denied="department_member", make=_team, hidden=_absent(lambda w: "周讲师")),
    "api-lecturer-detail": Case(lambda w: f"/api/v1/lecturers/{w.made['lecturer'].pk}/", api=True,
                                permitted="promoter", denied="department_member", make=_team),
    "api-kit-list": Case(lambda w: "/api/v1/kits/", api=True, permitted="promoter", denied="department_member",
                         make=_team, hidden=_no_rows),
    "api-kit-detail": Case(lambda w: f"/api/v1/kits/{w.made['pen'].pk}/", api=True, permitted="promoter",
                           denied="department_member", make=_team),
    "api-kit-issue": Case(lambda w: "/api/v1/kits/issue/", api=True, method="post",
                          data=lambda w: {"post": w.made["promoter"].pk, "items": ["badge"]},
                          permitted="village_cadre", denied="promoter", make=_team, ok=(201,)),
    "api-kit-return-item": Case(lambda w: f"/api/v1/kits/{w.made['pen'].pk}/return/", api=True, method="post",
                                data=lambda w: {"returned_on": "2010-09-01"}, permitted="village_cadre",
                                denied="promoter", make=_team),
    "api-kit-townships": Case(lambda w: "/api/v1/kits/townships/", api=True, permitted="township_cadre",
                              denied="department_member", make=_team, hidden=_absent(_code("township"))),
}

test_three_ways = three_ways(CASES)

# The same names' other method (a write where CASES reads): who may appoint, record training, issue a kit.
WRITES = {
    "api-team-member-list": Case(lambda w: "/api/v1/team-members/", api=True, method="post",
                                 data=lambda w: {"grid": w.district.grid2.code, "role": "volunteer", "name": "周",
                                                 "category": "other"},
                                 permitted="village_cadre", denied="promoter", ok=(201,)),
    "api-training-session-list": Case(lambda w: "/api/v1/training-sessions/", api=True, method="post",
                                      data=lambda w: {"township": w.district.township.code, "topic": "平安创建",
                                                      "held_on": "2010-06-01"},
                                      permitted="township_cadre", denied="promoter", ok=(201,)),
    "teams:session": Case(lambda w: reverse("teams:session", args=[w.made["session"].pk]), method="post",
                          data=lambda w: {"members": [w.made["promoter"].member_id]}, permitted="township_cadre",
                          denied="promoter", make=_team, ok=(302,)),
    "teams:member": Case(lambda w: reverse("teams:member", args=[w.made["promoter"].pk]), method="post",
                         data=lambda w: {"items": ["badge"], "issued_on": "2010-03-02"}, permitted="village_cadre",
                         denied="promoter", make=_team, ok=(302,)),
}

test_writes_three_ways = three_ways(WRITES)

# Within the county: the same records in 上方镇 (its village's grid), which the county office reads and manages
# and 樟潭's township cadre (who holds both capabilities in 樟潭) cannot reach.


def _team_far(w):
    promoter = services.membership_appoint(actor=None, grid=w.district.grid4, role="promoter", name=PROMOTER,
                                           phone="13912345678", category="doctor", started_on=D)
    volunteer = services.membership_appoint(actor=None, grid=w.district.grid4, role="volunteer", name="李医生",
                                            phone="13900000001", category="doctor", started_on=D)
    session = training.session_create(actor=None, township=w.district.township2, topic=TOPIC,
                                      held_on=dt.date(2010, 5, 10))
    pen = kits.kit_issue(actor=None, membership=promoter, items=["pen"], issued_on=D)[0]
    return {"promoter": promoter, "volunteer": volunteer, "session": session, "pen": pen}


_FAR_NAMES = ["teams:member", "teams:session", "api-team-member-list", "api-team-member-detail", "api-team-member-end",
              "api-team-member-training", "api-training-session-list", "api-training-session-detail",
              "api-training-session-attendance", "api-kit-list", "api-kit-detail", "api-kit-issue",
              "api-kit-return-item"]
NEAR = {
    **{f"{name} {case.method}": replace(case, make=_team_far, permitted="county_office", outsider="township_cadre")
       for cases in (CASES, WRITES) for name, case in cases.items() if name in _FAR_NAMES and case.make},
    "api-team-member-list post": replace(
        WRITES["api-team-member-list"], permitted="county_office", outsider="township_cadre",
        data=lambda w: {"grid": w.district.grid4.code, "role": "volunteer", "name": "周", "category": "other"}),
    "api-training-session-list post": replace(
        WRITES["api-training-session-list"], permitted="county_office", outsider="township_cadre",
        data=lambda w: {"township": w.district.township2.code, "topic": "平安创建", "held_on": "2010-06-01"}),
    "teams:roster": Case(lambda w: reverse("teams:roster", args=[w.district.grid4.code]), permitted="county_office",
                         denied="department_member", outsider="township_cadre", make=_team_far),
    "teams:coverage": Case(lambda w: f"{reverse('teams:coverage')}?within={w.district.township2.code}",
                           permitted="county_office", denied="department_member", outsider="township_cadre",
                           make=_team_far),
    "teams:card": Case(lambda w: reverse("teams:card", args=[w.district.grid4.code]), permitted="county_office",
                       denied="promoter", outsider="township_cadre", make=_team_far),
    "teams:village_cards_pdf": Case(lambda w: reverse("teams:village_cards_pdf", args=[w.district.village3.code]),
                                    permitted="county_office", denied="promoter", outsider="township_cadre",
                                    make=_team_far),
    "api-kit-townships": Case(lambda w: "/api/v1/kits/townships/", api=True, permitted="county_office",
                              denied="department_member", outsider="township_cadre", make=_team_far,
                              hidden=_absent(_code("township2"))),
}

test_near_three_ways = three_ways(NEAR)
