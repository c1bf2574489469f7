"""Archive writes: identity rules, one head, versioned history, audited reveal with masking."""
import pytest

from shuanglian.archives import services
from shuanglian.archives.models import HouseholdVersion, Person
from shuanglian.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from shuanglian.core.models import AuditEvent

ID_HEAD = "33080319650312001X"
ID_SPOUSE = "330803196807150024"


def _fix(number):  # make the check character right for a hand-written number
    from shuanglian.core.idnumber import check_character

    return number[:17] + check_character(number[:17])


@pytest.fixture
def household(district, personas):
    hh = services.household_register(actor=personas.promoter, grid=district.grid, number="001",
                                     address="樟潭社区1号", annual_income="36000", tags=["low_income"])
    services.person_add(actor=personas.promoter, household=hh, name="王大明", relation_to_head="head",
                        id_number=_fix(ID_HEAD), phone="13912345678")
    services.person_add(actor=personas.promoter, household=hh, name="李秀英", relation_to_head="spouse",
                        id_number=_fix(ID_SPOUSE))
    return hh


def test_identity_is_derived_from_the_id_number(household):
    head = Person.objects.get(name="王大明")
    assert str(head.birth_date) == "1965-03-12" and head.sex == "male"
    assert Person.objects.get(name="李秀英").sex == "female"


def test_contradictions_and_bad_numbers_are_refused(household, personas):
    with pytest.raises(ValidationFailed, match="disagrees"):
        services.person_add(actor=personas.promoter, household=household, name="王小明", relation_to_head="child",
                            id_number=_fix("330803199001010011"), sex="female")
    with pytest.raises(ValidationFailed, match="15-digit"):
        services.person_add(actor=personas.promoter, household=household, name="王小明", relation_to_head="child",
                            id_number="330803900101001")


def test_one_head_and_unique_id_numbers(household, personas):
    with pytest.raises(Conflict) as exc:
        services.person_add(actor=personas.promoter, household=household, name="张三", relation_to_head="head")
    assert exc.value.code == "two_heads"
    with pytest.raises(Conflict) as exc:
        services.person_add(actor=personas.promoter, household=household, name="张三", relation_to_head="child",
                            id_number=_fix(ID_HEAD).lower())
    assert exc.value.code == "duplicate_id_number" and "33080319650312001" not in exc.value.message


def test_history_shows_who_changed_what_with_pii_masked(household, personas):
    head = Person.objects.get(name="王大明")
    services.person_update(actor=personas.archive_keeper, person=head, phone="13800001111")
    latest = HouseholdVersion.objects.filter(household=household).first()
    assert latest.actor == personas.archive_keeper and latest.action == "person_update"
    assert latest.changes == {"phone": ["139****5678", "138****1111"]}
    for event in AuditEvent.objects.filter(action__startswith="archives."):
        text = str(event.before) + str(event.after)
        assert "13912345678" not in text and "13800001111" not in text and _fix(ID_HEAD) not in text


def test_reveal_needs_reason_and_permission_and_is_audited(household, personas):
    head = Person.objects.get(name="王大明")
    with pytest.raises(ValidationFailed):
        services.person_reveal(actor=personas.promoter, person=head, field="phone", reason=" ")
    for who in (personas.volunteer, personas.outsider, personas.auditor, personas.county_office):
        with pytest.raises(PermissionDenied):
            services.person_reveal(actor=who, person=head, field="id_number", reason="核实身份")
    value = services.person_reveal(actor=personas.promoter, person=head, field="id_number", reason="办理低保复核")
    assert value == _fix(ID_HEAD)
    event = AuditEvent.objects.get(action="archives.reveal")
    assert event.actor == personas.promoter and event.after["reason"] == "办理低保复核"
    assert event.after["field"] == "id_number" and event.object_id == str(head.pk)


def test_completeness_rises_as_the_file_fills(household, personas):
    before = household.completeness
    services.household_update(actor=personas.promoter, household=household, house="砖混两层", livelihood_notes="务农")
    household.refresh_from_db()
    assert 0 < before < household.completeness < 100


def test_volunteers_cannot_edit_and_promoters_only_their_grid(district, personas, household):
    with pytest.raises(PermissionDenied):
        services.household_update(actor=personas.volunteer, household=household, address="x")
    with pytest.raises(PermissionDenied):
        services.household_register(actor=personas.promoter, grid=district.grid2, number="009")
