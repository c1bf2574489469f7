"""The demo step's builder on the test district: what it loads, the stats read back exactly."""
import random

from django.db.models import Count

from shuanglian.core.models import AuditEvent
from shuanglian.demo.builders import teams as demo
from shuanglian.divisions.models import Division
from shuanglian.teams import selectors
from shuanglian.teams.choices import Category
from shuanglian.teams.models import Member, Membership
from shuanglian.teams.services import teams_load

SMALL = {
    Category.COUNTY_OFFICIAL: (7, True),
    Category.DOCTOR: (2, True),
    Category.TEACHER: (3, True),
    Category.TOWNSHIP_CADRE: (1, True),
    Category.VILLAGE_CADRE: (6, False),
    Category.NOTABLE: (4, False),
}


def test_a_small_built_set_has_exact_stats(district):
    grids = list(Division.objects.current().within(district.county).filter(level="grid")
                 .select_related("parent__parent"))
    posts = demo.posts_for(grids, random.Random(3), volunteers=SMALL)
    counts = teams_load(actor=None, posts=posts, started_on=demo.GRIDDED)
    assert counts == {"promoters": len(grids), "volunteers": 23, "grids": len(grids), "members_created": len(grids) + 23}
    stats = selectors.team_stats(None, within=district.county)
    assert stats["promoters"] == len(grids) and stats["volunteers"] == 23
    assert stats["public_volunteers"] == 13 and stats["public_share"] == round(13 / 23, 3) == 0.565
    assert stats["grids_without_promoter"] == 0
    assert {c: stats["categories"][c] for c, _ in SMALL.items()} == {c: n for c, (n, _) in SMALL.items()}
    assert sum(stats["categories"].values()) == len(grids) + 23
    # phones went through the PIIField: encrypted, hashed, masked
    member = Member.objects.exclude(phone_hash="").first()
    assert str(member.phone).count("*") == 4 and len(member.phone.reveal()) == 11
    # scope columns as attach_to would set them
    post = Membership.objects.filter(grid=district.grid).first()
    assert (post.village_id, post.township_id, post.county_id) == (
        district.village.pk, district.township.pk, district.county.pk)
    assert AuditEvent.objects.filter(action="teams.load").count() == 1


def test_the_seed_composition_rounds_to_the_seeds_share():
    volunteers = sum(n for n, _ in demo.VOLUNTEERS.values())
    public = sum(n for n, p in demo.VOLUNTEERS.values() if p)
    assert volunteers == 8506 and selectors.share(public, volunteers) == 0.402
    assert (demo.VOLUNTEERS[Category.COUNTY_OFFICIAL][0], demo.VOLUNTEERS[Category.DOCTOR][0],
            demo.VOLUNTEERS[Category.TEACHER][0]) == (1421, 335, 854)


def test_a_load_refuses_a_second_promoter(district):
    import pytest

    from shuanglian.core.exceptions import Conflict, ValidationFailed

    one = [{"grid": district.grid, "role": "promoter", "name": "甲", "category": "five_elders"}]
    teams_load(actor=None, posts=one, started_on=demo.GRIDDED)
    with pytest.raises(Conflict):
        teams_load(actor=None, posts=one, started_on=demo.GRIDDED)
    with pytest.raises(ValidationFailed):
        teams_load(actor=None, posts=[*one, *one], started_on=demo.GRIDDED)


def test_training_and_kits_on_the_test_district(district):
    """Two townships of the test county: lecturers of five departments, 2-4 sessions each, most members trained,
    the whole kit for every member."""
    from shuanglian.demo.builders import teams_training
    from shuanglian.demo.context import DemoContext
    from shuanglian.organizations.services import organization_create
    from shuanglian.teams.models import Attendance, KitIssue, Lecturer, TrainingSession

    grids = list(Division.objects.current().within(district.county).filter(level="grid")
                 .select_related("parent__parent"))
    teams_load(actor=None, posts=demo.posts_for(grids, random.Random(3), volunteers=SMALL), started_on=demo.GRIDDED)
    ctx = DemoContext(seed=3, log=lambda text: None, county=district.county,
                      townships={t.code: t for t in (district.township, district.township2)})
    for function in teams_training.DEPARTMENTS:
        ctx.departments[function] = organization_create(actor=None, division=district.county, name=str(function),
                                                        kind="department", function=function)
    teams_training.build(ctx)
    assert Lecturer.objects.values("department").distinct().count() == 5
    per_township = dict(TrainingSession.objects.values_list("township").annotate(n=Count("pk")))
    assert set(per_township) == {district.township.pk, district.township2.pk}
    assert all(2 <= n <= 4 for n in per_township.values())
    members = Member.objects.count()
    untrained = selectors.members_without_training(None).count()
    assert untrained < members / 2 and Attendance.objects.exists()
    assert not TrainingSession.objects.exclude(held_on__year=2010).exists()
    assert KitIssue.objects.filter(returned_on__isnull=True).count() == 5 * members
    assert sum(r["members"] for r in selectors.kit_counts_by_township(None)) == members
