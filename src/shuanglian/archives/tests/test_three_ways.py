"""The archive pages, the household file and village book exports, and the household and person endpoints three
ways (shuanglian.testing.views). Reads need archives.view (the department member holds none: denied), a reveal
archives.reveal (the volunteer sees the records but may not reveal: denied), an import archives.import; the
outsider, a township cadre of 柯城区, holds all of them there, so a refusal is about scope. Export and import jobs
are their requester's: another keeper of the same village is the one out of reach."""
import csv
import datetime as dt
import io
from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from shuanglian.archives import export_jobs, jobs, services
from shuanglian.core import idnumber
from shuanglian.testing.views import Case, three_ways

HEAD = "王大明"
HEAD_ID = idnumber.make("330803", dt.date(1965, 3, 12), 11)
REASON = "低保年审入户核对"


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    """Exports and imports keep their files under VAR_DIR and run inline, within the request."""
    settings.VAR_DIR = tmp_path
    settings.SHUANGLIAN_TASKS = "inline"
    return tmp_path


def _household(w):
    """A household of 樟潭社区's first grid with its head (ID number and phone), as the archive keeper registers it."""
    keeper = w.personas.archive_keeper
    household = services.household_register(actor=keeper, grid=w.district.grid, number="001",
                                            address="樟潭社区1号", annual_income="36000", tags=["low_income"])
    head = services.person_add(actor=keeper, household=household, name=HEAD, relation_to_head="head",
                               id_number=HEAD_ID, phone="13912345678")
    return {"household": household, "head": head}


def _export_job(w):
    """The keeper's village book (xlsx, made inline at once)."""
    made = _household(w)
    made["job"] = export_jobs.export_job_create(actor=w.personas.archive_keeper, code=w.district.village.code,
                                                fmt="xlsx")
    return made


def _import_job(w):
    """The keeper's import of a file with one row refused (a bad check character): run on commit, as in
    production, it leaves a file of rejected rows for its uploader."""
    good = idnumber.make("330803", dt.date(1950, 1, 1), 31)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["户号", "网格编码", "姓名", "身份证号", "与户主关系", "联系电话", "地址", "标签"])
    writer.writerow(["001", w.district.grid.code, HEAD, HEAD_ID, "户主", "13912345678", "樟潭社区1号", ""])
    writer.writerow(["002", w.district.grid.code, "钱五", bad, "户主", "", "", ""])
    upload = SimpleUploadedFile("樟潭社区.csv", buffer.getvalue().encode("utf-8"), content_type="text/csv")
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = jobs.import_job_create(actor=w.personas.archive_keeper, upload=upload, skip_invalid=True)
    job.refresh_from_db()
    assert job.status == "done" and job.rejects_path, (job.status, job.summary)
    return job


def _absent(text):
    return lambda r, w: text not in r.content.decode()


def _no_rows(r, w):
    return r.json()["results"] == []


def _hh(w):
    return w.made["household"].pk


def _village(w):
    return w.district.village.code


REVEAL = {"field": "id_number", "reason": REASON}
REVEAL_EXPORT = {"reason": REASON, "format": "xlsx"}

CASES = {
    "archives:search": Case(lambda w: reverse("archives:search"), permitted="volunteer", denied="department_member",
                            make=_household, hidden=_absent(HEAD)),
    "archives:household": Case(lambda w: reverse("archives:household", args=[_hh(w)]), permitted="volunteer",
                               denied="department_member", make=_household),
    "archives:reveal": Case(lambda w: reverse("archives:reveal", args=[w.made["head"].pk]), method="post",
                            data=lambda w: REVEAL, permitted="promoter", denied="volunteer", make=_household),
    "archives:attention": Case(lambda w: reverse("archives:attention"), permitted="archive_keeper",
                               denied="department_member", make=_household, hidden=_absent("樟潭社区")),
    # The upload form and the template name no record: no scope to be out of (an import's rows are checked
    # against the uploader's scope, tested in test_import).
    "archives:upload": Case(lambda w: reverse("archives:upload"), permitted="archive_keeper", denied="promoter",
                            outsider=None),
    "archives:template": Case(lambda w: reverse("archives:template"), permitted="archive_keeper",
                              denied="promoter", outsider=None),
    "archives:job": Case(lambda w: reverse("archives:job", args=[w.made.pk]), permitted="archive_keeper",
                         denied="promoter", make=_import_job),
    # The township cadre sees the keeper's import (it lies within theirs), but its rejected rows are the uploader's.
    "archives:job_rejects": Case(lambda w: reverse("archives:job_rejects", args=[w.made.pk]),
                                 permitted="archive_keeper", denied="township_cadre", make=_import_job),
    "archive_exports:village_book": Case(lambda w: reverse("archive_exports:village_book", args=[_village(w)]),
                                         permitted="archive_keeper", denied="department_member", make=_household),
    "archive_exports:village_book_reveal": Case(
        lambda w: reverse("archive_exports:village_book_reveal", args=[_village(w)]), method="post",
        data=lambda w: REVEAL_EXPORT, permitted="archive_keeper", denied="volunteer", make=_household, ok=(302,)),
    "archive_exports:export_job": Case(lambda w: reverse("archive_exports:export_job", args=[w.made["job"].pk]),
                                       permitted="archive_keeper", denied="nobody", outsider="village_cadre",
                                       make=_export_job),
    "archive_exports:export_job_download": Case(
        lambda w: reverse("archive_exports:export_job_download", args=[w.made["job"].pk]), method="post",
        permitted="archive_keeper", denied="nobody", outsider="village_cadre", make=_export_job),
    "archive_exports:household_file_pdf": Case(
        lambda w: reverse("archive_exports:household_file_pdf", args=[_hh(w)]), permitted="volunteer",
        denied="department_member", make=_household),
    "archive_exports:household_file_xlsx": Case(
        lambda w: reverse("archive_exports:household_file_xlsx", args=[_hh(w)]), permitted="volunteer",
        denied="department_member", make=_household),
    "archive_exports:household_file_reveal": Case(
        lambda w: reverse("archive_exports:household_file_reveal", args=[_hh(w)]), method="post",
        data=lambda w: REVEAL_EXPORT, permitted="archive_keeper", denied="volunteer", make=_household),
    "api-household-list": Case(lambda w: "/api/v1/households/", api=True, permitted="volunteer",
                               denied="department_member", make=_household, hidden=_no_rows),
    "api-household-detail": Case(lambda w: f"/api/v1/households/{_hh(w)}/", api=True, permitted="volunteer",
                                 denied="department_member", make=_household),
    "api-person-list": Case(lambda w: "/api/v1/persons/", api=True, permitted="volunteer",
                            denied="department_member", make=_household, hidden=_no_rows),
    "api-person-detail": Case(lambda w: f"/api/v1/persons/{w.made['head'].pk}/", api=True, permitted="volunteer",
                              denied="department_member", make=_household),
    "api-person-reveal": Case(lambda w: f"/api/v1/persons/{w.made['head'].pk}/reveal/", api=True, method="post",
                              data=lambda w: REVEAL, permitted="promoter", denied="volunteer", make=_household),
    "api-person-search": Case(lambda w: "/api/v1/persons/search/", api=True, method="post",
                              data=lambda w: {"id_number": HEAD_ID}, permitted="promoter",
                              denied="department_member", make=_household, hidden=_no_rows),
}

test_three_ways = three_ways(CASES)

# The same names' other method (a write where CASES reads): registering, changing, adding, uploading.
WRITES = {
    "api-household-list": Case(lambda w: "/api/v1/households/", api=True, method="post",
                               data=lambda w: {"grid": w.district.grid.code, "number": "009",
                                               "address": "樟潭社区9号"},
                               permitted="promoter", denied="volunteer", ok=(201,)),
    "api-household-detail": Case(lambda w: f"/api/v1/households/{_hh(w)}/", api=True, method="patch",
                                 data=lambda w: {"address": "樟潭社区2号"}, permitted="promoter",
                                 denied="volunteer", make=_household),
    "api-person-list": Case(lambda w: "/api/v1/persons/", api=True, method="post",
                            data=lambda w: {"household": _hh(w), "name": "李秀英", "relation_to_head": "spouse"},
                            permitted="promoter", denied="volunteer", make=_household, ok=(201,)),
    "api-person-detail": Case(lambda w: f"/api/v1/persons/{w.made['head'].pk}/", api=True, method="patch",
                              data=lambda w: {"occupation": "务工"}, permitted="promoter", denied="volunteer",
                              make=_household),
    "archives:household": Case(lambda w: reverse("archives:household", args=[_hh(w)]), method="post",
                               data=lambda w: {"action": "tags", "tags-tags": ["low_income"]},
                               permitted="promoter", denied="volunteer", make=_household, ok=(302,)),
}

test_writes_three_ways = three_ways(WRITES)

# Within the county: a household of 上方镇 (its village's grid), which the county office reads and 樟潭's
# township cadre (who holds every archive capability in 樟潭) cannot reach.


def _household_far(w):
    household = services.household_register(actor=None, grid=w.district.grid4, number="001", address="上方村1号")
    head = services.person_add(actor=None, household=household, name=HEAD, relation_to_head="head",
                               id_number=HEAD_ID, phone="13912345678")
    return {"household": household, "head": head}


_FAR_NAMES = ["archives:search", "archives:household", "archive_exports:household_file_pdf",
              "archive_exports:household_file_xlsx", "api-household-list", "api-household-detail",
              "api-person-list", "api-person-detail"]
NEAR = {
    **{name: replace(CASES[name], make=_household_far, permitted="county_office", outsider="township_cadre")
       for name in _FAR_NAMES},
    "archive_exports:village_book": Case(
        lambda w: reverse("archive_exports:village_book", args=[w.district.village3.code]),
        permitted="county_office", denied="department_member", outsider="township_cadre", make=_household_far),
}

test_near_three_ways = three_ways(NEAR)
