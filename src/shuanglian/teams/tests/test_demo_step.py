"""The demo step's builder on the test district: what it loads, the stats read back exactly."""
import random

from shuanglian.core.models import AuditEvent
from shuanglian.divisions.models import Division
from shuanglian.teams import demo, selectors
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
