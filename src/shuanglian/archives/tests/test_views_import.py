"""The import pages: template, upload, the job page with its progress, rejects. Jobs run synchronously
here (SHUANGLIAN_TASKS = "inline", or "worker" and then a worker pass, `core.tasks.work_once()` or
`shuanglian worker --once`): no threads, no sleeps. A job whose process died ends as failed."""
import csv
import datetime as dt
import io
import json

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from shuanglian.archives import jobs
from shuanglian.archives.models import Household, ImportJob, Person
from shuanglian.core import idnumber, tasks
from shuanglian.core.models import AuditEvent, TaskRun

HEADER = ["户号", "网格编码", "姓名", "身份证号", "与户主关系", "联系电话", "地址", "标签"]
UPLOAD = reverse("archives:upload")
TEMPLATE = reverse("archives:template")
HTMX = {"HTTP_HX_REQUEST": "true"}


def pid(seq: int, birth=dt.date(1965, 3, 12)) -> str:
    return idnumber.make("330803", birth, seq)


def job_url(job, suffix="") -> str:
    return reverse("archives:job" + suffix, kwargs={"pk": job.pk})


def csv_upload(rows, name="樟潭社区.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def good_rows(district):
    return [
        ["001", district.grid.code, "王大明", pid(11), "户主", "13912345678", "樟潭社区1号", "低保户"],
        ["001", district.grid.code, "李秀英", pid(22, dt.date(1968, 7, 15)), "配偶", "", "", ""],
        ["002", district.grid2.code, "赵四", pid(31, dt.date(1950, 1, 1)), "户主", "", "樟潭社区2号", ""],
    ]


def bad_rows(district):
    """Two good households, one with a bad check character, one in a grid outside the village."""
    return [*good_rows(district),
            ["003", district.grid.code, "钱五", pid(41)[:-1] + ("0" if pid(41)[-1] != "0" else "1"), "户主", "", "", ""],
            ["009", district.grid3.code, "孙六", pid(51), "户主", "", "", ""]]


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.SHUANGLIAN_TASKS = "inline"
    return tmp_path


@pytest.fixture
def as_(client):
    def login(user, language="en"):
        client.force_login(user)
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return login


@pytest.fixture
def upload(as_, django_capture_on_commit_callbacks):
    """Post a file as `user`; the job starts on commit, as in production, and (inline) runs to the end."""

    def post(user, rows, **options):
        client = as_(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(UPLOAD, {"file": csv_upload(rows), **{k: "on" for k, v in options.items() if v}})
        assert response.status_code == 302, response.content.decode()[:2000]
        job = ImportJob.objects.latest("pk")
        assert response["Location"] == job_url(job)
        return client, job

    return post


# ---------------------------------------------------------------- no permission

def test_import_pages_need_the_import_capability(client, as_, personas, district, tmp_path):
    job = ImportJob.objects.create(user=personas.archive_keeper, file_name="x.csv", created_at=dt.datetime.now(dt.UTC))
    urls = [UPLOAD, TEMPLATE, job_url(job), job_url(job, "_rejects")]
    for url in urls:
        assert client.get(url).status_code == 302  # to the sign-in page
    for persona in (personas.promoter, personas.volunteer, personas.county_office, personas.nobody):
        c = as_(persona)
        for url in urls:
            assert c.get(url).status_code == 403, (persona, url)
        assert c.post(UPLOAD, {"file": csv_upload(good_rows(district))}).status_code == 403
    assert ImportJob.objects.count() == 1 and not list(tmp_path.iterdir())


# ---------------------------------------------------------------- template

def test_template_downloads_as_xlsx_and_csv(as_, personas):
    from openpyxl import load_workbook

    from shuanglian.archives.importing import template_rows

    client = as_(personas.archive_keeper)
    response = client.get(TEMPLATE)
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == template_rows()[0]
    assert sheet["D2"].value == template_rows()[1][3] and sheet["D2"].number_format == "@"
    response = client.get(TEMPLATE, {"format": "csv"})
    text = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv") and text.startswith("\ufeff户号,网格编码,姓名,身份证号,与户主关系")


# ---------------------------------------------------------------- upload and the job

def test_upload_imports_in_a_job_and_shows_the_result(upload, personas, district, var_dir):
    client, job = upload(personas.archive_keeper, good_rows(district))
    job.refresh_from_db()
    assert job.status == "done" and job.user == personas.archive_keeper and job.file_name == "樟潭社区.csv"
    assert job.division == district.village and job.finished_at is not None and job.error_count == 0
    assert job.summary["persons_created"] == 3 and job.summary["written"] is True
    assert Person.objects.count() == 3 and Household.objects.count() == 2
    # The upload (ID numbers and phones in clear) is gone once imported; the progress file stays.
    folder = var_dir / "imports" / str(job.pk)
    assert not (folder / "source.csv").exists()
    assert json.loads((folder / "progress.json").read_text())["stage"] == "done"
    upload_event = AuditEvent.objects.get(action="archives.import_upload")
    assert upload_event.actor == personas.archive_keeper and upload_event.after["file"] == "樟潭社区.csv"
    assert AuditEvent.objects.get(action="archives.import").channel == "job"

    page = client.get(job_url(job))
    body = page.content.decode()
    assert page.status_code == 200 and "every 1s" not in body and "Written to the archives." in body
    assert "persons added" in body
    # The upload page lists the user's recent imports.
    assert job_url(job) in client.get(UPLOAD).content.decode()


def test_a_file_with_invalid_rows_writes_nothing_and_lists_every_problem(upload, personas, district):
    client, job = upload(personas.archive_keeper, bad_rows(district))
    job.refresh_from_db()
    assert job.status == "done" and not job.summary["written"] and Person.objects.count() == 0
    assert [(e["line"], e["field"]) for e in job.errors] == [(5, "身份证号"), (6, "网格编码")]
    body = client.get(job_url(job)).content.decode()
    assert "rejected, nothing written" in body and "check character" in body and "unknown grid code" in body
    assert job_url(job, "_rejects") in body


def test_skip_invalid_writes_the_valid_households_and_gives_back_the_rejects(upload, personas, district):
    client, job = upload(personas.archive_keeper, bad_rows(district), skip_invalid=True)
    job.refresh_from_db()
    assert job.summary["written"] and job.summary["invalid_rows"] == 2 and Person.objects.count() == 3
    response = client.get(job_url(job, "_rejects"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "行号" and rows[0][-1] == "原因" and [r[0] for r in rows[1:]] == ["5", "6"]
    download = AuditEvent.objects.get(action="archives.import_rejects_download")
    assert download.actor == personas.archive_keeper


def test_the_rejects_file_is_masked_private_and_purged_with_its_job(upload, personas, district, time_machine):
    _client, job = upload(personas.archive_keeper, bad_rows(district), skip_invalid=True)
    job.refresh_from_db()
    path = jobs.absolute(job.rejects_path)
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    text = path.read_text(encoding="utf-8-sig")
    assert pid(51) not in text and pid(51)[:6] + "********" + pid(51)[-4:] in text
    assert jobs.purge_rejects() == 0  # not yet
    time_machine.move_to(job.finished_at + dt.timedelta(hours=ImportJob.KEEP_HOURS, minutes=1))
    assert jobs.purge_rejects() == 1 and not path.exists()
    job.refresh_from_db()
    assert job.rejects_path == ""  # the page offers no download any more


def test_problems_shown_to_others_never_quote_an_id_number_or_phone(upload, personas, district):
    # The ID number landed in the grid code column: the reason quotes it, masked.
    _, job = upload(personas.archive_keeper, [["001", pid(11), "王大明", pid(11), "户主", "", "", ""]])
    job.refresh_from_db()
    reasons = " ".join(e["reason"] for e in job.errors)
    assert pid(11) not in reasons and pid(11)[:6] + "********" + pid(11)[-4:] in reasons


def test_dry_run_writes_nothing(upload, personas, district):
    client, job = upload(personas.archive_keeper, good_rows(district), dry_run=True)
    job.refresh_from_db()
    assert job.status == "done" and job.summary["valid_rows"] == 3 and not job.summary["written"]
    assert Person.objects.count() == 0
    assert "Dry run: nothing was written." in client.get(job_url(job)).content.decode()


def test_the_upload_form_refuses_other_files(as_, personas):
    client = as_(personas.archive_keeper)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("archive.pdf", b"%PDF-1.4")})
    assert response.status_code == 422 and "Upload an .xlsx or .csv file." in response.content.decode()
    assert response.status_code == 422 and not ImportJob.objects.exists()


def test_errors_are_capped_but_counted(upload, personas, district):
    rows = [[f"{i:04d}", "999", f"某{i}", "", "户主", "", "", ""] for i in range(1001)]
    client, job = upload(personas.archive_keeper, rows)
    job.refresh_from_db()
    assert job.error_count > ImportJob.MAX_ERRORS and len(job.errors) == ImportJob.MAX_ERRORS
    page = client.get(job_url(job))
    assert len(page.context["errors_page"]) == 100 and page.context["errors_page"].paginator.num_pages == 10


def test_a_crash_marks_the_job_failed_and_keeps_nothing(upload, personas, district, monkeypatch, var_dir):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs, "import_households", boom)
    client, job = upload(personas.archive_keeper, good_rows(district))
    job.refresh_from_db()
    assert job.status == "failed" and "unexpected error" in job.errors[0]["reason"]
    assert not (var_dir / "imports" / str(job.pk) / "source.csv").exists()
    assert "failed" in client.get(job_url(job)).content.decode()


# ---------------------------------------------------------------- progress: leave and come back

def test_a_queued_job_polls_until_a_worker_has_run_it(upload, settings, personas, district, var_dir):
    settings.SHUANGLIAN_TASKS = "worker"  # left queued, as for a separate `shuanglian worker`
    client, job = upload(personas.archive_keeper, good_rows(district))
    job.refresh_from_db()
    assert job.status == "queued" and job.task_run.name == "archives.import_job"
    assert job.task_run.status == "queued" and job.task_run.kwargs == {"job_id": job.pk}
    page = client.get(job_url(job)).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Waiting to start" in page
    # A running import writes its progress file; the poll reads it.
    ImportJob.objects.filter(pk=job.pk).update(status="running")
    (var_dir / "imports" / str(job.pk) / "progress.json").write_text(
        json.dumps({"stage": "persons", "done": 1, "total": 4}))
    poll = client.get(job_url(job), HTTP_HX_TARGET="job-status", **HTMX)
    body = poll.content.decode()
    assert body.startswith('<section id="job-status"') and 'value="25"' in body and "every 1s" in body
    assert "<header" not in body and "<title>" not in body
    ImportJob.objects.filter(pk=job.pk).update(status="queued")

    tasks.work_once()
    job.refresh_from_db()
    assert job.status == "done" and job.task_run.status == "done" and Person.objects.count() == 3
    assert AuditEvent.objects.get(action="archives.import").channel == "job"
    body = client.get(job_url(job), HTTP_HX_TARGET="job-status", **HTMX).content.decode()
    assert "every 1s" not in body and "Written to the archives." in body


def test_the_worker_command_runs_a_queued_import(upload, settings, personas, district, capsys):
    settings.SHUANGLIAN_TASKS = "worker"
    _, job = upload(personas.archive_keeper, good_rows(district))
    call_command("worker", "--once")
    job.refresh_from_db()
    assert job.status == "done" and job.summary["persons_created"] == 3
    assert "archives.housekeeping every 300s" in capsys.readouterr().out
    call_command("worker", "--once")  # nothing left to run: the job ran once
    assert TaskRun.objects.get().status == "done" and Person.objects.count() == 3


def test_a_job_whose_process_died_ends_failed_when_its_run_is_reaped(upload, settings, personas, district,
                                                                      var_dir, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    settings.SHUANGLIAN_TASKS = "worker"
    client, job = upload(personas.archive_keeper, good_rows(district))
    job.refresh_from_db()
    source = var_dir / job.file_path
    # A process claimed the run and the job, then died (killed, out of memory, a restart): no heartbeat.
    assert tasks.claim(job.task_run_id) and jobs.claim(job.pk)

    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 14, tzinfo=dt.UTC), tick=False)
    tasks.work_once()  # within STALE_AFTER_SECONDS (15 minutes): still taken for alive
    job.refresh_from_db()
    assert job.status == "running" and job.task_run.status == "running" and source.exists()
    assert "every 1s" in client.get(job_url(job)).content.decode()

    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 20, tzinfo=dt.UTC), tick=False)
    tasks.work_once()  # reaps the run, then the archives' housekeeping (every 5 minutes) ends the job
    job.refresh_from_db()
    assert job.task_run.status == "failed" and job.status == "failed" and job.finished_at is not None
    assert job.errors == [{"line": 0, "field": "", "reason":
                           "The process running the import stopped; nothing was written."}]
    assert not source.exists()  # the upload (ID numbers in clear) is not left behind
    body = client.get(job_url(job)).content.decode()
    assert "every 1s" not in body and "nothing was written" in body and "failed" in body
    assert Person.objects.count() == 0


def test_the_job_page_ends_a_job_whose_run_went_stale(upload, settings, personas, district, time_machine):
    """With no worker (the embedded default runs jobs in threads), the page itself notices."""
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    settings.SHUANGLIAN_TASKS = "worker"
    client, job = upload(personas.archive_keeper, good_rows(district))
    job.refresh_from_db()
    assert tasks.claim(job.task_run_id) and jobs.claim(job.pk)
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False)
    body = client.get(job_url(job), HTTP_HX_TARGET="job-status", **HTMX).content.decode()
    assert "every 1s" not in body and "The process running the import stopped; nothing was written." in body
    job.refresh_from_db()
    assert job.status == "failed" and job.task_run.status == "failed"


def test_a_finished_job_keeps_its_result_when_its_run_is_reaped_late(upload, settings, personas, district,
                                                                     time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    settings.SHUANGLIAN_TASKS = "worker"
    _, job = upload(personas.archive_keeper, good_rows(district))
    job.refresh_from_db()
    assert tasks.claim(job.task_run_id)
    jobs.run(job.pk)  # the import finished, then its process died before the run was marked done
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False)
    assert jobs.reap_orphans() == 0
    job.refresh_from_db()
    assert job.status == "done" and job.task_run.status == "failed" and Person.objects.count() == 3


def test_a_job_is_claimed_once(personas):
    job = ImportJob.objects.create(user=personas.archive_keeper, file_name="x.csv",
                                   created_at=dt.datetime.now(dt.UTC))
    assert jobs.claim(job.pk) is True
    assert jobs.claim(job.pk) is False
    assert jobs.run(job.pk) is False


# ---------------------------------------------------------------- who sees a job

def test_the_owner_and_those_whose_import_scope_covers_it_see_a_job(upload, as_, personas, district):
    _, job = upload(personas.archive_keeper, bad_rows(district), skip_invalid=True)
    for persona in (personas.village_cadre, personas.township_cadre):
        client = as_(persona)
        page = client.get(job_url(job))
        assert page.status_code == 200 and "孙六" not in page.content.decode()
        # The rejected rows hold the uploaded values in full: for the uploader only.
        assert job_url(job, "_rejects") not in page.content.decode()
        assert client.get(job_url(job, "_rejects")).status_code == 403
        assert job_url(job) not in client.get(UPLOAD).content.decode()  # "your recent imports" are your own


def test_a_job_out_of_scope_is_404(upload, as_, personas, district):
    _, job = upload(personas.township_cadre, good_rows(district))
    assert job.division == district.township
    for persona in (personas.archive_keeper, personas.outsider):
        client = as_(persona)
        assert client.get(job_url(job)).status_code == 404
        assert client.get(job_url(job, "_rejects")).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_embedded_default_runs_the_import_in_a_thread_after_the_commit(as_, settings, district, personas):
    import threading

    settings.SHUANGLIAN_TASKS = "thread"
    client = as_(personas.archive_keeper)
    response = client.post(UPLOAD, {"file": csv_upload(good_rows(district))})
    assert response.status_code == 302
    for thread in threading.enumerate():  # no sleeping: wait for the task's thread to end
        if thread.name.startswith("task-"):
            thread.join(timeout=60)
    job = ImportJob.objects.select_related("task_run").latest("pk")
    assert job.status == "done" and job.task_run.status == "done" and Person.objects.count() == 3
