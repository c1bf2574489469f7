"""Checks of the test harness itself: the PostgreSQL pass really is PostgreSQL 15+, and the
browser fixtures drive a real phone-sized Chromium against the live server."""
import pytest
from django.db import connection
from django.urls import reverse


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_pass_runs_on_postgresql_15_or_newer():
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 150000
    assert connection.settings_dict["NAME"].startswith("test_")


@pytest.mark.browser
def test_browser_page_is_a_phone_in_chinese(browser_page, live_server):
    browser_page.goto(live_server.url + reverse("accounts:login"))
    assert browser_page.evaluate("window.innerWidth") == 360
    assert browser_page.evaluate("navigator.language") == "zh-CN"
    assert browser_page.locator("input[type=password]").count() == 1


def test_the_world_is_copied_not_rebuilt_and_equals_a_build(world_snapshot, personas, district):
    """The district and personas come from the snapshot taken once per database; what a test gets is
    what the services build: the same divisions and users, a whole audit chain, working grants."""
    from shuanglian.accounts.models import User
    from shuanglian.core import audit
    from shuanglian.divisions.models import Division
    from shuanglian.divisions.selectors import division_list_visible_to

    assert world_snapshot is not None, "the snapshot fell back to building the world in every test"
    assert getattr(district, "from_snapshot", False)
    built = {(d.code, d.name, d.level) for d in Division.objects.all()}
    assert ("330803001001", "樟潭社区", "village") in built and len(built) == 16
    assert set(User.objects.values_list("username", flat=True)) == {
        "promoter", "volunteer", "village_cadre", "archive_keeper", "township_cadre", "county_office",
        "department_member", "service_staff", "auditor", "admin", "township_admin", "outsider", "nobody"}
    assert personas.promoter.check_password("Persona-2010!")
    assert audit.verify().ok
    seen = set(division_list_visible_to(personas.township_cadre).values_list("pk", flat=True))
    assert district.village.pk in seen and district.outside_village.pk not in seen  # the copied grants work


@pytest.mark.django_db
def test_a_test_that_asks_for_no_world_sees_none():
    from shuanglian.divisions.models import Division

    assert not Division.objects.exists()


def test_a_world_restored_after_rows_of_the_test_itself_is_built_instead(db, world_snapshot):
    """An audit event written before the world comes would collide with the copy's: the world is built."""
    from shuanglian.core import audit
    from shuanglian.testing.world import restore_district, restore_personas

    audit.record(actor=None, action="test.before_world")
    district = restore_district(world_snapshot)
    assert not getattr(district, "from_snapshot", False)
    personas = restore_personas(world_snapshot, district)
    assert personas.promoter.username == "promoter"
    assert audit.verify().ok


@pytest.mark.django_db
def test_the_models_have_all_their_migrations():
    """The SQLite pass builds its database from the models (--nomigrations); the PostgreSQL pass and every
    real install run the migrations. They agree only if no model change lacks its migration."""
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_what_the_migrations_install_is_there_without_them():
    """The audit guard and the default tags come from post-migrate hooks too, so a database built from the
    models (the SQLite pass) refuses to rewrite an audit event and has the seed's household labels."""
    from django.db import DatabaseError, transaction

    from shuanglian.archives.models import Tag
    from shuanglian.core import audit
    from shuanglian.core.models import AuditEvent

    assert set(Tag.objects.values_list("code", flat=True)) >= {"low_income", "five_guarantee", "left_behind_child"}
    event = audit.record(actor=None, action="test.guard")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE core_auditevent SET action = 'forged' WHERE id = {event.pk}")
    assert AuditEvent.objects.get(pk=event.pk).action == "test.guard"


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_split_of_matters_moves_no_table():
    """Mediation and outreach took their models from matters with their tables: the migrations of the
    split change Django's state only, so an upgrade touches no row."""
    from io import StringIO

    from django.core.management import call_command

    for app, name in [("outreach", "0001_initial"), ("mediation", "0001_initial"),
                      ("matters", "0003_split_mediation_and_outreach")]:
        out = StringIO()
        call_command("sqlmigrate", app, name, stdout=out)
        sql = "\n".join(line for line in out.getvalue().splitlines() if not line.startswith("--"))
        assert sql.strip() in {"BEGIN;\nCOMMIT;", ""}, (app, sql)
