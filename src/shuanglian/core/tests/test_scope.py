"""Who sees what: every persona's view of the tree and of records attached to it."""
import pytest

from shuanglian.access.scope import scope_for
from shuanglian.core.exceptions import NotFound
from shuanglian.divisions.selectors import division_get_for_user, division_list_visible_to
from shuanglian.testing.scopedapp.models import ScopedThing


def codes(qs):
    return set(qs.values_list("code", flat=True))


def test_a_grant_covers_the_subtree(district, personas):
    d = district
    assert codes(division_list_visible_to(personas.promoter)) == {d.grid.code}
    assert codes(division_list_visible_to(personas.village_cadre)) == {d.village.code, d.grid.code, d.grid2.code}
    township = codes(division_list_visible_to(personas.township_cadre))
    assert d.grid3.code in township and d.village3.code not in township and d.county.code not in township
    county = codes(division_list_visible_to(personas.county_office))
    assert d.grid4.code in county and d.outside_grid.code not in county
    assert d.outside_grid.code in codes(division_list_visible_to(personas.outsider))


def test_an_organization_grant_covers_the_division_it_serves(district, personas):
    assert district.grid4.code in codes(division_list_visible_to(personas.department_member))
    served = codes(division_list_visible_to(personas.service_staff))
    assert district.grid3.code in served and district.grid4.code not in served


def test_out_of_scope_reads_as_not_found(district, personas):
    with pytest.raises(NotFound):
        division_get_for_user(personas.outsider, district.village.code)
    with pytest.raises(NotFound):
        division_get_for_user(personas.promoter, district.grid2.code)
    with pytest.raises(NotFound):
        division_get_for_user(personas.nobody, district.county.code)
    assert division_get_for_user(personas.township_cadre, district.grid.code) == district.grid


def test_record_scope_uses_the_denormalized_columns(district, personas):
    things = {}
    for name in ("grid", "grid2", "grid3", "grid4", "outside_grid"):
        t = ScopedThing(label=name)
        t.attach_to(getattr(district, name))
        t.save()
        things[name] = t

    def seen(user):
        return set(ScopedThing.objects.filter(scope_for(user, "divisions.view").record_q())
                   .values_list("label", flat=True))

    assert seen(personas.promoter) == {"grid"}
    assert seen(personas.village_cadre) == {"grid", "grid2"}
    assert seen(personas.township_cadre) == {"grid", "grid2", "grid3"}
    assert seen(personas.county_office) == {"grid", "grid2", "grid3", "grid4"}
    assert seen(personas.outsider) == {"outside_grid"}
    assert seen(personas.nobody) == set()


def test_revoked_and_inactive_grant_nothing(district, personas):
    from shuanglian.accounts.services import grant_revoke, user_update

    grant = personas.township_cadre.grants.get()
    grant_revoke(actor=personas.admin, grant=grant)
    assert not division_list_visible_to(personas.township_cadre).exists()
    user_update(actor=personas.admin, user=personas.village_cadre, is_active=False)
    personas.village_cadre.refresh_from_db()
    assert not division_list_visible_to(personas.village_cadre).exists()
