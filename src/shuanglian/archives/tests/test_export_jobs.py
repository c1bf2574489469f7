"""The village book as a background export job: queued from its page, run by the task runner (inline,
or a worker pass), progress polled, downloaded once by the requester only, deleted after the download or
after 24 hours, ended as failed when its process died. What the file holds is test_exports.py's subject;
here the masking is checked once more on a file that went through a worker."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from shuanglian.accounts.models import Grant
from shuanglian.accounts.services import grant_revoke
from shuanglian.archives import export_jobs, services
from shuanglian.archives.models import ExportJob
from shuanglian.core import tasks
from shuanglian.core.idnumber import check_character
from shuanglian.core.models import AuditEvent, TaskRun

HTMX = {"HTTP_HX_REQUEST": "true"}
HEAD_ID = "33080319650312001" + check_character("33080319650312001")
OTHER_ID = "33080319700101003" + check_character("33080319700101003")
HEAD_PHONE = "13912345678"
MASKED_HEAD_ID = HEAD_ID[:6] + "*" * 8 + HEAD_ID[-4:]
MASKED_PHONE = "139****5678"


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.SHUANGLIAN_TASKS = "inline"
    return tmp_path


@pytest.fixture
def village(district, personas):
    keeper = personas.archive_keeper
    hh1 = services.household_register(actor=keeper, grid=district.grid, number="001", address="樟潭社区1号",
                                      annual_income="36000", tags=["low_income"])
    services.person_add(actor=keeper, household=hh1, name="王大明", relation_to_head="head", id_number=HEAD_ID,
                        phone=HEAD_PHONE)
    hh2 = services.household_register(actor=keeper, grid=district.grid2, number="101", address="樟潭社区9号")
    services.person_add(actor=keeper, household=hh2, name="张建国", relation_to_head="head", id_number=OTHER_ID)
    return district.village


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def book_url(village) -> str:
    return reverse("archive_exports:village_book", args=[village.code])


def job_url(job) -> str:
    return reverse("archive_exports:export_job", args=[job.pk])


def download_url(job) -> str:
    return reverse("archive_exports:export_job_download", args=[job.pk])


def ask(client, user, village, fmt="pdf", reason=None) -> ExportJob:
    client.force_login(user)
    if reason is None:
        response = client.post(book_url(village), {"format": fmt})
    else:
        response = client.post(reverse("archive_exports:village_book_reveal", args=[village.code]),
                               {"format": fmt, "reason": reason})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ExportJob.objects.latest("pk")
    assert response["Location"] == job_url(job)
    return job


def download(client, job) -> bytes:
    response = client.post(download_url(job))
    assert response.status_code == 200 and response.streaming, response.status_code
    assert "attachment" in response["Content-Disposition"] and "no-store" in response["Cache-Control"]
    content = b"".join(response.streaming_content)
    return content


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# ---------------------------------------------------------------- the task path


def test_a_worker_makes_the_pdf_and_the_requester_downloads_it_once(client, settings, village, personas, var_dir,
                                                                    monkeypatch):
    settings.SHUANGLIAN_TASKS = "worker"
    stages = []
    progress = export_jobs._progress
    monkeypatch.setattr(export_jobs, "_progress", lambda job, stage, *a: (stages.append(stage),
                                                                          progress(job, stage, *a)))
    client.force_login(personas.archive_keeper)
    page = client.get(book_url(village))
    assert page.status_code == 200 and "2 households" in page.content.decode()
    job = ask(client, personas.archive_keeper, village)
    assert job.status == "queued" and job.format == "pdf" and not job.revealed and job.village == village
    assert job.task_run.name == "archives.export_job" and job.task_run.kwargs == {"job_id": job.pk}
    body = client.get(job_url(job)).content.decode()
    assert 'hx-trigger="every 2s"' in body and "Waiting to start" in body
    assert not AuditEvent.objects.filter(action__startswith="archives.export")  # written when the file is made

    tasks.work_once()
    job.refresh_from_db()
    assert job.status == "done" and job.task_run.status == "done" and stages == ["reading", "layout", "writing"]
    path = var_dir / job.file_path
    assert path.parent == var_dir / "exports" / str(job.pk) and path.stat().st_mode & 0o077 == 0
    event = AuditEvent.objects.get(action="archives.export")
    assert event.actor == personas.archive_keeper and event.channel == "job"
    assert event.after == {"export": "village_book", "format": "pdf", "village": village.code,
                           "households": 2, "persons": 2, "pii": "masked"}
    poll = client.get(job_url(job), HTTP_HX_TARGET="export-status", **HTMX).content.decode()
    assert poll.startswith('<section id="export-status"') and "every 2s" not in poll and download_url(job) in poll

    text = pdf_text(download(client, job))
    assert "王大明" in text and "张建国" in text and MASKED_HEAD_ID in text and MASKED_PHONE in text
    assert HEAD_ID not in text and HEAD_PHONE not in text and OTHER_ID not in text
    # Deleted once downloaded: a second try goes back to the job page, which says so.
    assert not path.exists() and not (var_dir / "exports" / str(job.pk)).exists()
    job.refresh_from_db()
    assert job.downloaded_at is not None and job.file_path == ""
    again = client.post(download_url(job))
    assert again.status_code == 302 and again["Location"] == job_url(job)
    assert "the file was deleted from the server" in client.get(job_url(job)).content.decode()


def test_inline_the_job_is_done_when_the_page_redirects(client, village, personas):
    job = ask(client, personas.archive_keeper, village, "xlsx")
    job.refresh_from_db()
    assert job.status == "done" and job.task_run is None and job.file_name.endswith(".xlsx")
    assert not TaskRun.objects.exists()
    from openpyxl import load_workbook

    flat = str([[c.value for c in row] for row in load_workbook(io.BytesIO(download(client, job))).active.iter_rows()])
    assert MASKED_HEAD_ID in flat and HEAD_ID not in flat


def test_the_page_shows_the_stage_while_the_file_is_made(client, settings, village, personas):
    settings.SHUANGLIAN_TASKS = "worker"
    job = ask(client, personas.archive_keeper, village)
    ExportJob.objects.filter(pk=job.pk).update(status="running", progress={"stage": "layout", "done": 0, "total": 2})
    body = client.get(job_url(job), HTTP_HX_TARGET="export-status", **HTMX).content.decode()
    assert "step 2 of 3: laying out the pages" in body and 'value="2"' in body and "every 2s" in body
    assert client.post(download_url(job)).status_code == 302  # nothing to download yet


# ---------------------------------------------------------------- who


def test_only_the_requester_sees_or_downloads_an_export(client, village, personas, var_dir):
    job = ask(client, personas.archive_keeper, village)
    job.refresh_from_db()
    # Others with the same village in scope, above it, the admin, outside it: all read it as not found.
    for user in (personas.village_cadre, personas.township_cadre, personas.admin, personas.outsider):
        client.force_login(user)
        assert client.get(job_url(job)).status_code == 404, user
        assert client.post(download_url(job)).status_code == 404, user
        assert job_url(job) not in client.get(book_url(village)).content.decode()
    client.logout()
    assert client.get(job_url(job)).status_code == 302 and client.post(download_url(job)).status_code == 302
    assert (var_dir / job.file_path).exists()  # still there for its owner
    client.force_login(personas.archive_keeper)
    assert job_url(job) in client.get(book_url(village)).content.decode()  # "your recent exports"
    assert "王大明" in pdf_text(download(client, job))


def test_a_revealed_export_needs_a_reason_and_the_permission(client, village, personas):
    url = reverse("archive_exports:village_book_reveal", args=[village.code])
    client.force_login(personas.volunteer)  # sees the village (a grid of it), may not reveal
    assert client.post(url, {"reason": "核实身份", "format": "pdf"}).status_code == 403
    client.force_login(personas.archive_keeper)
    assert client.post(url, {"reason": " ", "format": "pdf"}).status_code == 422
    assert not ExportJob.objects.exists()

    job = ask(client, personas.archive_keeper, village, "pdf", reason="低保年审入户核对")
    job.refresh_from_db()
    assert job.revealed and job.reveal_reason == "低保年审入户核对"
    body = client.get(job_url(job)).content.decode()
    assert "低保年审入户核对" in body and "Keep it safe" in body
    text = pdf_text(download(client, job))
    assert HEAD_ID in text and HEAD_PHONE in text and "低保年审入户核对" in text
    event = AuditEvent.objects.get(action__startswith="archives.export")
    assert event.action == "archives.export_revealed" and event.after["reason"] == "低保年审入户核对"
    assert event.after["pii"] == "revealed" and event.channel == "job"


def test_the_job_runs_as_the_user_is_when_it_runs(client, settings, village, personas):
    """A grant revoked between asking and the worker's run: the job fails and exports nothing."""
    settings.SHUANGLIAN_TASKS = "worker"
    job = ask(client, personas.archive_keeper, village)
    grant_revoke(actor=None, grant=Grant.objects.get(user=personas.archive_keeper))
    tasks.work_once()
    job.refresh_from_db()
    assert job.status == "failed" and "No village" in job.error and not job.file_path
    assert not AuditEvent.objects.filter(action__startswith="archives.export")


# ---------------------------------------------------------------- keeping and reaping


def test_an_export_not_downloaded_is_deleted_after_24_hours(client, village, personas, var_dir, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    job = ask(client, personas.archive_keeper, village, "xlsx")
    job.refresh_from_db()
    path = var_dir / job.file_path
    time_machine.move_to(dt.datetime(2026, 3, 3, 8, 59, tzinfo=dt.UTC), tick=False)
    assert export_jobs.purge_expired() == 0 and path.exists()
    client.force_login(personas.archive_keeper)  # sessions last less than a day
    assert download_url(job) in client.get(job_url(job)).content.decode()

    time_machine.move_to(dt.datetime(2026, 3, 3, 9, 1, tzinfo=dt.UTC), tick=False)
    client.force_login(personas.archive_keeper)
    # Past its time it is refused even before the housekeeping has deleted it ...
    assert client.post(download_url(job)).status_code == 302
    assert "Not downloaded within 24 hours" in client.get(job_url(job)).content.decode()
    # ... which the worker's periodic housekeeping does.
    tasks.work_once()
    job.refresh_from_db()
    assert not path.exists() and job.file_path == "" and job.deleted_at is not None and job.downloaded_at is None


def test_an_export_whose_process_died_ends_failed(client, settings, village, personas, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    settings.SHUANGLIAN_TASKS = "worker"
    job = ask(client, personas.archive_keeper, village)
    job.refresh_from_db()
    assert tasks.claim(job.task_run_id)
    assert ExportJob.objects.filter(pk=job.pk).update(status="running")
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC), tick=False)
    client.force_login(personas.archive_keeper)
    body = client.get(job_url(job)).content.decode()  # the page notices, worker or not
    job.refresh_from_db()
    assert job.status == "failed" and job.task_run.status == "failed"
    assert "The process making the file stopped before it was done." in body and "every 2s" not in body
    assert not export_jobs.run(job.pk)  # a late start of the same run does nothing


@pytest.mark.django_db(transaction=True)
def test_the_embedded_default_makes_the_file_in_a_thread(client, settings, village, personas, monkeypatch):
    import threading

    from shuanglian.core import tasks

    # The request starts the task's thread on commit and then finishes its own writes. On the test's in-memory
    # SQLite (shared cache) a table another connection is writing is refused at once ("database table is
    # locked"; a file database waits), so on a loaded machine the thread could fail for the test's sake. Hold
    # the thread until the request is over, then wait for it to end: on the job's completion, not on time.
    held: list[threading.Thread] = []
    thread_class = threading.Thread

    class Held(thread_class):
        def start(self):
            held.append(self)

    settings.SHUANGLIAN_TASKS = "thread"
    monkeypatch.setattr(tasks.threading, "Thread", Held)
    job = ask(client, personas.archive_keeper, village, "xlsx")
    monkeypatch.undo()
    assert [t.name for t in held] == [f"task-{job.task_run_id}"] and job.status == "queued"
    for thread in held:
        thread_class.start(thread)
        thread.join(timeout=900)  # a bound on a hung run only
        assert not thread.is_alive(), "the export's thread did not end within 15 minutes"
    job.refresh_from_db()
    assert job.status == "done" and job.task_run.status == "done"
    assert download(client, job)[:2] == b"PK"  # an .xlsx (a zip)
