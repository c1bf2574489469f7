"""Team-list imports run outside the web request (issue 13, finding 11), as household imports do: the page
and the API keep the file and queue a job; a worker (SHUANGLIAN_TASKS=worker) imports it, all or nothing,
and the job tells its progress and its result."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuanglian.core import clock, tasks
from shuanglian.core.models import TaskRun
from shuanglian.teams import jobs
from shuanglian.teams.models import Membership, TeamImportJob

from .test_import import HEADER, login


@pytest.fixture
def worker(settings, tmp_path):
    settings.SHUANGLIAN_TASKS, settings.VAR_DIR = "worker", tmp_path
    return tmp_path


def _csv(district, *extra):
    g1, g2 = district.grid.code, district.grid2.code
    lines = [HEADER, f"{g1},王大明,13912345678,促进员,五老人员,,否,2010-03-01",
             f"{g2},李医生,13900000001,志愿者,医生,区人民医院,是,2010-03-01", *extra]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _work():
    """What `shuanglian worker` does with the queued runs."""
    for run in TaskRun.objects.filter(status=TaskRun.Status.QUEUED):
        assert tasks.execute(run.pk)


def test_the_page_queues_the_import_for_the_worker_and_shows_its_result(
        client, district, personas, persona_password, worker, django_capture_on_commit_callbacks):
    client = login(client, personas.township_cadre, persona_password)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/teams/import/", {"file": SimpleUploadedFile("team.csv", _csv(district))})
    job = TeamImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/teams/import/{job.pk}/"
    # The request wrote nothing and read no row: the worker will.
    assert not Membership.objects.exists() and job.status == "queued" and job.task_run.name == "teams.import_job"
    assert "Waiting to start" in client.get(f"/teams/import/{job.pk}/").content.decode()
    _work()
    html = client.get(f"/teams/import/{job.pk}/").content.decode()
    assert "Written: 1 promoters, 1 volunteers." in html and Membership.objects.count() == 2
    job.refresh_from_db()
    assert job.status == "done" and not (worker / job.file_path).exists()  # the upload is not kept


def test_any_bad_row_writes_nothing_through_the_worker_either(
        client, district, personas, persona_password, worker, django_capture_on_commit_callbacks):
    client = login(client, personas.township_cadre, persona_password)
    bad = _csv(district, f"{district.grid.code},戊,13900000015,促进员,村民代表,,,")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/teams/import/", {"file": SimpleUploadedFile("team.csv", bad)})
    _work()
    html = client.get(response["Location"]).content.decode()
    assert "Nothing was written." in html and "second promoter" in html and not Membership.objects.exists()


def test_the_api_answers_202_and_the_job_tells_its_result(api, district, personas, worker,
                                                         django_capture_on_commit_callbacks):
    client = api.as_(personas.township_cadre)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/team-imports/", {"file": SimpleUploadedFile("team.csv", _csv(district)),
                                                         "skip_invalid": "false"}, format="multipart")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["status"] == "queued" and not Membership.objects.exists()
    _work()
    done = client.get(f"/api/v1/team-imports/{body['id']}/").json()
    assert done["status"] == "done" and done["summary"]["written"] and done["summary"]["promoters"] == 1
    assert [j["id"] for j in client.get("/api/v1/team-imports/").json()["results"]] == [body["id"]]
    # Another manager does not see the job (it names people and phones).
    assert api.as_(personas.county_office).get(f"/api/v1/team-imports/{body['id']}/").status_code == 404
    refused = client.post("/api/v1/team-imports/", {"file": SimpleUploadedFile("team.txt", b"x")},
                          format="multipart")
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_file"


def test_progress_is_saved_where_the_page_reads_it_and_shown(client, district, personas, persona_password, worker):
    job = TeamImportJob.objects.create(user=personas.township_cadre, file_name="team.csv", status="running",
                                       created_at=clock.now())
    jobs._reporter(job)("checking", 0, 120)
    job.refresh_from_db()
    assert job.progress == {"stage": "checking", "done": 0, "total": 120}
    html = login(client, personas.township_cadre, persona_password).get(f"/teams/import/{job.pk}/").content.decode()
    assert "Importing" in html and "checking every row" in html


def test_a_job_whose_worker_died_ends_as_failed_with_nothing_written(client, district, personas, persona_password,
                                                                    worker, django_capture_on_commit_callbacks):
    client = login(client, personas.township_cadre, persona_password)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/teams/import/", {"file": SimpleUploadedFile("team.csv", _csv(district))})
    job = TeamImportJob.objects.get()
    TaskRun.objects.filter(pk=job.task_run_id).update(status=TaskRun.Status.FAILED)
    TeamImportJob.objects.filter(pk=job.pk).update(status="running")
    html = client.get(f"/teams/import/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and "nothing was written" in html and not Membership.objects.exists()
