"""`shuanglian demo` on the test database: built once for the module, then checked against the seed.

The whole county takes about two minutes to build, so these are slow tests: `make test-slow` runs them
(CI does, on SQLite and on PostgreSQL); each step's builder is tested on the small test district in its
own app (test_demo_step.py and the like) within `make test`."""
import io
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction

from shuanglian.access.roles import Role
from shuanglian.accounts.models import Grant, User
from shuanglian.core import audit, clock
from shuanglian.core.models import AuditEvent
from shuanglian.demo import figures
from shuanglian.demo.builders.applications_catalog import EXTRA_DEPARTMENTS
from shuanglian.demo.builders.organizations import COUNTY
from shuanglian.demo.builders.users import PASSWORD, USERS
from shuanglian.divisions.models import Division, DivisionVersion
from shuanglian.divisions.selectors import division_counts_as_of
from shuanglian.organizations.models import Organization
from shuanglian.petitions.selectors import petition_statistics

SEED = 7

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def output(django_db_setup, django_db_blocker):
    """Build once for the module inside a transaction, rolled back after its last test."""
    out = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--seed", str(SEED), stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def county(output, db):
    return Division.objects.current().get(code=figures.COUNTY_CODE)


def current(county, level):
    return Division.objects.current().within(county).filter(level=level)


def test_21_townships_with_kinds_from_their_codes(county):
    townships = county.children.current()
    assert townships.count() == 21
    assert Counter(townships.values_list("kind", flat=True)) == {"street": 2, "town": 10, "township": 8, "other": 1}
    assert townships.get(code="330803400").name == "横路办事处"
    assert county.parent.code == "3308" and county.parent.parent.name == "浙江省"


def test_506_villages_then_271_and_3_communities(county):
    villages = current(county, "village")
    assert Counter(villages.values_list("kind", flat=True)) == {"village": 271, "community": 3}
    assert set(villages.filter(kind="community").values_list("parent__code", flat=True)) == set(figures.STREET_OFFICES)
    assert not villages.filter(kind="village", parent__code__in=figures.STREET_OFFICES).exists()
    assert division_counts_as_of(county, figures.AS_BEFORE) == {"township": 21, "village": 506}
    assert division_counts_as_of(county, clock.today()) == {"township": 21, "village": 274, "grid": 2556}
    first = DivisionVersion.objects.filter(division__in=Division.objects.within(county).filter(level="village"),
                                           change="create").values_list("valid_from", flat=True)
    assert Counter(first) == {figures.ESTABLISHED: 506, figures.RESTRUCTURED: 3}


def test_235_villages_merged_into_a_neighbour(county):
    retired = Division.objects.within(county).filter(level="village", retired_on__isnull=False).select_related("successor")
    assert retired.count() == 235
    for village in retired:
        assert village.retired_on == figures.RESTRUCTURED and village.successor.retired_on is None
        assert village.successor.parent_id == village.parent_id and village.successor.kind == "village"
    for township in county.children.all():
        names = list(Division.objects.filter(parent=township).values_list("name", flat=True))
        assert len(names) == len(set(names))


def test_2556_grids_with_the_seeds_households(county):
    grids = current(county, "grid")
    assert grids.count() == 2556
    households = list(grids.values_list("planned_households", flat=True))
    assert sum(households) == 115_390 and min(households) >= 30 and max(households) <= 50
    assert grids.values("parent").distinct().count() == 274
    assert not grids.filter(parent__retired_on__isnull=False).exists()
    assert set(grids.values_list("valid_from", flat=True)) == {figures.GRIDDED}
    assert grids.filter(name="第一网格").count() == 274 and grids.filter(name="第三网格").count() == 274


def test_organizations(county):
    orgs = Organization.objects.all()
    at_county = orgs.filter(division=county)
    assert sorted(at_county.values_list("function", flat=True)) == sorted(
        [*(f for _, _, f in COUNTY), *["general"] * len(EXTRA_DEPARTMENTS)])
    centers = orgs.filter(kind="service_center")
    assert centers.count() == 21 and centers.values("division").distinct().count() == 21
    assert set(centers.values_list("division__level", flat=True)) == {"township"}
    associations = orgs.filter(kind="association")
    assert associations.filter(division__level="township").count() == 21
    assert associations.filter(division__level="village", division__retired_on__isnull=True).count() == 274
    for association in associations.filter(division__level="village").select_related("parent__division", "division")[:50]:
        assert association.parent.division_id == association.division.parent_id
    assert orgs.get(name="樟潭街道便民服务中心").function == "admin_service"


def test_a_demo_user_per_role_who_can_log_in(county):
    grants = Grant.objects.filter(user__username__startswith="demo_", revoked_at__isnull=True)
    assert sorted(grants.values_list("role", flat=True)) == sorted(spec.role for spec in USERS)
    assert set(grants.values_list("role", flat=True)) == set(Role.values)
    for spec in USERS:
        user = authenticate(username=spec.username, password=PASSWORD)
        assert user is not None and user.grants.get().role == spec.role
    police = Grant.objects.get(user__username="demo_police")
    assert police.organization.function == "public_security"
    promoter = Grant.objects.get(user__username="demo_promoter").division
    village = Grant.objects.get(user__username="demo_village").division
    assert promoter.parent == village and village.parent.code == "330803001"


def test_written_through_audited_services(county):
    events = AuditEvent.objects.filter(channel="command", actor__isnull=True)
    actions = Counter(events.values_list("action", flat=True))
    merges = Division.objects.filter(predecessors__isnull=False).distinct().count()
    assert actions["division.import"] == 1 and actions["division.create_bulk"] == 2
    assert actions["division.village_merge"] == merges and actions["division.create"] == 4  # 横路 + 3 communities
    extra = len(EXTRA_DEPARTMENTS)  # the departments the service catalog needs beyond the county's
    assert actions["organization.create"] == len(COUNTY) + 21 + 21 + 274 + extra
    assert actions["user.create"] == actions["grant.create"] == len(USERS)
    assert audit.verify().ok


def test_output_has_the_url_and_log_ins(output, county):
    assert "http://127.0.0.1:8000/" in output and PASSWORD in output
    assert all(spec.username in output for spec in USERS)
    assert "506" in output and "115,390" in output


def _counts():
    return [m.objects.count() for m in (Division, DivisionVersion, Organization, User, Grant, AuditEvent)]


def test_second_run_duplicates_nothing(county):
    before = _counts()
    out = io.StringIO()
    call_command("demo", "--seed", "99", stdout=out)
    assert "already exists" in out.getvalue() and "demo_admin" in out.getvalue()
    assert _counts() == before


def test_second_run_recreates_a_missing_demo_account(county):
    User.objects.filter(username="demo_police").delete()
    call_command("demo", stdout=io.StringIO())
    user = authenticate(username="demo_police", password=PASSWORD)
    assert user.grants.get().organization.name == "区公安分局"
    assert User.objects.filter(username__startswith="demo_").count() == len(USERS)


def test_2010_disputes_screened_and_mediated_are_the_seeds(county):
    from shuanglian.matters.models import Matter
    from shuanglian.mediation.selectors import dispute_stats

    stats = dispute_stats(None, 2010, within=county)
    assert stats == {"screened": 4526, "mediated": 4421, "success_rate": 0.977}
    year = Matter.objects.filter(reported_at__year=2010)
    assert year.filter(type="dispute").count() == 4526 and not year.exclude(status="closed").exists()
    # Every 2010 matter has its full timeline; the open ones of today went through the services.
    assert not year.filter(transitions__isnull=True).exists()
    assert Matter.objects.exclude(status="closed").exclude(reported_at__year=2010).count() == 40


def test_2010_petitions_are_the_seeds(county):
    stats = petition_statistics(year=2010, within=county)
    assert (stats["received"], stats["received_previous"], stats["received_change"]) == (2637, 3150, -16.3)
    assert stats["beijing"] == {"batches": 24, "person_times": 30, "batches_previous": 40, "person_times_previous": 69,
                                "batches_change": -40.0, "person_times_change": -56.5}
    assert stats["province"] == {"batches": 39, "person_times": 76, "batches_previous": 74,
                                 "person_times_previous": 224, "batches_change": -47.3, "person_times_change": -66.1}
    backlog = stats["backlog"]
    assert (backlog["cases"], backlog["closed"], backlog["pledged"]) == (60, 52, 46)
    assert (float(backlog["resolution_rate"]), float(backlog["standard"]), float(backlog["margin"])) == (0.866, 0.6, 26.6)


def test_2010_village_affairs_are_the_seeds(county):
    from shuanglian.village_affairs.selectors import lagging_villages, village_affairs_stats

    stats = village_affairs_stats(user=None, year=2010, within=county)
    assert (stats["joint_meetings"], stats["representatives_meetings"], stats["decisions_voted"]) == (3312, 1889, 1401)
    assert stats["decisions_complete"] == 1401 - 9
    assert 0.9 < stats["disclosure_on_time_rate"] < 1
    assert len(lagging_villages(user=None, year=2010, within=county)) == 6


def test_grid_teams_are_the_seeds(county):
    from shuanglian.teams.selectors import team_stats

    stats = team_stats(None, within=county)
    assert (stats["promoters"], stats["volunteers"], stats["public_share"]) == (2556, 8506, 0.402)
    assert stats["grids_without_promoter"] == 0
    assert (stats["categories"]["county_official"], stats["categories"]["doctor"],
            stats["categories"]["teacher"]) == (1421, 335, 854)


def test_training_tours_every_township_and_every_member_has_a_kit(county):
    from shuanglian.teams.models import Lecturer, Member, Membership, TrainingSession
    from shuanglian.teams.selectors import kit_counts_by_township, members_without_training

    assert Lecturer.objects.values("department").distinct().count() == 5
    assert Lecturer.objects.exclude(department__division=county).count() == 0
    sessions = TrainingSession.objects.filter(held_on__year=2010)
    assert sessions.values("township").distinct().count() == 21
    # On a grid team: a subquery, not memberships__ended_on__isnull (its outer join also matches the people with
    # no team post at all, such as the associations' officers).
    members = Member.objects.filter(pk__in=Membership.objects.filter(ended_on__isnull=True).values("member_id")).count()
    assert members_without_training(None, within=county).count() < members * 0.25  # most are trained
    assert sum(sum(r["items"].values()) for r in kit_counts_by_township(None, within=county)) == 5 * members


def test_full_process_service_is_the_seeds(county):
    from shuanglian.applications.choices import OPEN_STATUSES
    from shuanglian.applications.models import Application, ReceiptCounter, ServicePoint
    from shuanglian.applications.selectors import (
        application_list_visible_to,
        service_stats,
        supervision_board,
    )
    from shuanglian.demo.builders import applications_year

    stats = service_stats(None, within=county)
    assert (stats["centers"], stats["agent_points"], stats["staff"]) == (21, 297, 538)
    assert stats["applications"] == sum(stats["by_status"].values()) == Application.objects.count()
    assert 0.9 < stats["on_time_rate"] < 1 and stats["closed"] > applications_year.APPLICATIONS * 0.99
    year = Application.objects.filter(accepted_at__year=applications_year.YEAR)
    assert year.count() == applications_year.APPLICATIONS and not year.filter(status__in=OPEN_STATUSES).exists()
    assert ReceiptCounter.objects.get(year=applications_year.YEAR).last == applications_year.APPLICATIONS
    assert year.filter(receipt_no__regex=rf"^{applications_year.YEAR}-[0-9A-Z]{{4}}-[0-9A-Z]{{4}}$").count() == year.count()
    # A center per township, linked to its 便民服务中心; 23 villages formed by merging keep a second agent point.
    centers = ServicePoint.objects.filter(kind="center")
    assert not centers.filter(organization__isnull=True).exists()
    assert set(centers.values_list("organization__division", flat=True)) == set(centers.values_list("division", flat=True))
    per_village = Counter(ServicePoint.objects.filter(kind="agent_point").values_list("division", flat=True))
    assert len(per_village) == 274 and Counter(per_village.values()) == {1: 251, 2: 23}
    # Open ones are live: the demo service account's queue, the civil affairs department's, the board.
    service, civil = User.objects.get(username="demo_service"), User.objects.get(username="demo_civil")
    queue = application_list_visible_to(service).filter(status__in=OPEN_STATUSES)
    assert queue.exists() and set(queue.values_list("township__code", flat=True)) == {"330803001"}
    assigned = application_list_visible_to(civil)
    assert assigned.filter(status__in=OPEN_STATUSES).exists()
    assert set(assigned.values_list("department__name", flat=True)) == {"区民政局"}
    board = supervision_board(None, within=county)
    assert sum(row["open"] for row in board) > 0 and sum(row["overdue"] for row in board) > 0


def test_associations_each_with_a_current_president(county):
    from shuanglian.associations.models import AssociationPost, Meeting
    from shuanglian.associations.selectors import association_list_visible_to
    from shuanglian.teams.models import Membership

    found = association_list_visible_to(None)
    assert found.filter(association_kind="general").count() == 21
    assert found.filter(association_kind="promotion").count() == 274
    assert not found.filter(president_name__isnull=True).exists()
    presidents = AssociationPost.objects.filter(post="president", ended_on__isnull=True)
    assert presidents.count() == presidents.values("association").distinct().count() == 21 + 274
    # a village's promoters are members of its promotion association: the same person records
    promoters = Membership.objects.filter(role="promoter", ended_on__isnull=True).values("member_id")
    assert AssociationPost.objects.filter(post="member", member_id__in=promoters).count() == 2556
    meetings = Meeting.objects.filter(held_on__year=2010)
    assert meetings.filter(township__isnull=False, village__isnull=True).count() == 21 * 12
    assert meetings.filter(village__isnull=False).count() == 274 * 4
    assert AuditEvent.objects.get(action="associations.load").after["presidents"] == 295
