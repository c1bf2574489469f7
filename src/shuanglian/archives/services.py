"""Writes to the archives. Each one is versioned on the household and audited; PII stays masked in both."""
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shuanglian.access.roles import Role
from shuanglian.accounts.models import Grant
from shuanglian.core import audit, clock, idnumber, pii
from shuanglian.core.exceptions import Conflict, ValidationFailed
from shuanglian.core.pii import PIIValue
from shuanglian.divisions.choices import Level
from shuanglian.notifications.services import notify

from . import disclosure, policies
from .choices import DEFAULT_TAGS, RelationKind, RelationToHead, ResidenceStatus, Sex
from .models import Household, HouseholdTag, HouseholdVersion, Person, Relation, Tag

HOUSEHOLD_FIELDS = ("number", "address", "house", "annual_income", "land_notes", "livelihood_notes")
PERSON_FIELDS = ("name", "id_number", "phone", "sex", "birth_date", "ethnicity", "education", "occupation",
                 "skills", "health", "political_status", "relation_to_head", "residence_status")
PII_FIELDS = {"id_number": "id_number", "phone": "phone"}
# What a complete file holds: household fields, and per member the fields that identify and reach them.
HOUSEHOLD_COMPLETE = ("address", "house", "annual_income", "livelihood_notes")
MEMBER_COMPLETE = ("id_number", "phone", "education", "occupation")


def _value(obj, name):
    value = getattr(obj, name)
    if isinstance(value, PIIValue):
        return value.masked
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _snapshot(obj, fields) -> dict:
    return {f: _value(obj, f) for f in fields}


def _diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def _history(*, actor, household: Household, action: str, changes: dict, person: Person | None = None,
             obj=None) -> None:
    # Health and income are sensitive (archives.disclosure): sealed in the history and the audit trail.
    changes = disclosure.seal_changes(changes)
    HouseholdVersion.objects.create(household=household, person=person, at=clock.now(),
                                    actor=actor if getattr(actor, "pk", None) else None,
                                    actor_label=audit.actor_label(actor), action=action, changes=changes)
    target = obj or person or household
    audit.record(actor=actor, action=f"archives.{action}", obj=target,
                 object_repr=f"{household.number} {person.name if person else ''}".strip(), after=changes)


def completeness(household: Household) -> int:
    members = list(household.members.filter(is_active=True))
    filled = sum(1 for f in HOUSEHOLD_COMPLETE if getattr(household, f) not in ("", None))
    total = len(HOUSEHOLD_COMPLETE) + 1
    filled += any(m.relation_to_head == RelationToHead.HEAD for m in members)
    for m in members:
        total += len(MEMBER_COMPLETE)
        filled += sum(1 for f in MEMBER_COMPLETE if getattr(m, f))
    return round(100 * filled / total)


def _refresh_completeness(household: Household) -> None:
    value = completeness(household)
    if value != household.completeness:
        Household.objects.filter(pk=household.pk).update(completeness=value, updated_at=clock.now())
        household.completeness = value


def _income(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationFailed(_("Annual income must be a number of yuan."), details={"annual_income": str(value)}) \
            from None
    if amount < 0:
        raise ValidationFailed(_("Annual income cannot be negative."), details={"annual_income": str(value)})
    return amount


@transaction.atomic
def household_register(*, actor, grid, number: str, tags=(), **fields) -> Household:
    if grid.level != Level.GRID or grid.retired_on:
        raise ValidationFailed(_("A household belongs to a current grid."), details={"grid": grid.code})
    policies.require_edit_division(actor, grid)
    number = (number or "").strip()
    if not number:
        raise ValidationFailed(_("A household needs a number."), details={"number": "required"})
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown household fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if "annual_income" in fields:
        fields["annual_income"] = _income(fields["annual_income"])
    household = Household(number=number, **fields)
    household.attach_to(grid)
    try:
        with transaction.atomic():
            household.save()
    except IntegrityError:
        raise Conflict(_("Grid %(grid)s already has household %(number)s.") % {"grid": grid.name, "number": number},
                       code="duplicate_household", details={"number": number}) from None
    if tags:
        household_set_tags(actor=actor, household=household, tags=tags, record=False)
    _refresh_completeness(household)
    _history(actor=actor, household=household, action="household_register",
             changes={**_snapshot(household, HOUSEHOLD_FIELDS), "grid": grid.code})
    return household


@transaction.atomic
def household_update(*, actor, household: Household, **fields) -> Household:
    policies.require_edit(actor, household)
    before = _snapshot(household, HOUSEHOLD_FIELDS)
    for name, value in fields.items():
        if name not in HOUSEHOLD_FIELDS:
            raise ValidationFailed(_("%(field)s cannot be changed here.") % {"field": name})
        setattr(household, name, _income(value) if name == "annual_income" else value)
    try:
        with transaction.atomic():
            household.save()
    except IntegrityError:
        raise Conflict(_("The grid already has a household with that number."), code="duplicate_household") from None
    _refresh_completeness(household)
    changes = _diff(before, _snapshot(household, HOUSEHOLD_FIELDS))
    if changes:
        _history(actor=actor, household=household, action="household_update", changes=changes)
    return household


def ensure_default_tags(*, using: str = "default") -> None:
    """The default tags, where missing (a data migration adds them; a test flush or an operator may not)."""
    present = set(Tag.objects.using(using).values_list("code", flat=True))
    Tag.objects.using(using).bulk_create([
        Tag(code=code, name=name, sensitive=sensitive, position=position)
        for position, (code, name, sensitive) in enumerate(DEFAULT_TAGS, start=1) if code not in present])


def _tags(codes_or_tags) -> list[Tag]:
    wanted = [t.code if isinstance(t, Tag) else str(t).strip() for t in codes_or_tags if str(t).strip()]
    found = {t.code: t for t in Tag.objects.filter(code__in=wanted)} | {
        t.name: t for t in Tag.objects.filter(name__in=wanted)}
    missing = [w for w in wanted if w not in found]
    if missing:
        raise ValidationFailed(_("Unknown tag(s): %(tags)s") % {"tags": ", ".join(missing)}, code="unknown_tag",
                               details={"tags": missing})
    return list({found[w].pk: found[w] for w in wanted}.values())


@transaction.atomic
def household_set_tags(*, actor, household: Household, tags, record: bool = True) -> Household:
    policies.require_edit(actor, household)
    new = _tags(tags)
    by_index = Tag.by_index()
    old = {by_index[i].code for i in HouseholdTag.objects.filter(household=household)
           .values_list("tag_index", flat=True) if i in by_index}
    HouseholdTag.objects.filter(household=household).exclude(tag_index__in=[t.index for t in new]).delete()
    HouseholdTag.objects.bulk_create([HouseholdTag(household=household, tag_index=t.index)
                                      for t in new if t.code not in old])
    if record and old != {t.code for t in new}:
        _history(actor=actor, household=household, action="household_tags",
                 changes={"tags": [sorted(old), sorted(t.code for t in new)]})
    return household


def _shown(name: str, value) -> str:
    value = str(value)
    return str(Sex(value).label) if name == "sex" and value in Sex.values else value


def _checked_identity(fields: dict) -> dict:
    """Derive sex and birth date from the ID number and refuse contradictions."""
    raw = fields.get("id_number")
    if raw in (None, ""):
        return fields
    try:
        parsed = idnumber.parse(raw.reveal() if isinstance(raw, PIIValue) else raw, today=clock.today())
    except idnumber.InvalidIDNumber as exc:
        raise ValidationFailed(_("ID number: %(why)s") % {"why": exc}, code="invalid_id_number",
                               details={"id_number": str(exc)}) from None
    fields["id_number"] = parsed.value
    for name, derived in (("sex", parsed.sex), ("birth_date", parsed.birth_date)):
        given = fields.get(name)
        if given not in (None, "") and str(given) != str(derived):
            label = Person._meta.get_field(name).verbose_name
            raise ValidationFailed(
                _("The %(field)s %(given)s disagrees with the ID number, which says %(derived)s.")
                % {"field": label, "given": _shown(name, given), "derived": _shown(name, derived)},
                code="identity_mismatch", details={name: str(given)})
        fields[name] = derived
    return fields


def _choice(value, choices, field):
    if value not in choices.values:
        raise ValidationFailed(_("%(value)s is not a valid %(field)s.") % {"value": value, "field": field},
                               details={field: value})
    return value


def _save_person(person: Person) -> None:
    """Save, turning the two uniqueness rules into messages (checked first; the constraints catch races)."""
    heads = Person.objects.filter(household_id=person.household_id, relation_to_head=RelationToHead.HEAD,
                                  is_active=True).exclude(pk=person.pk)
    if person.relation_to_head == RelationToHead.HEAD and person.is_active and heads.exists():
        raise Conflict(_("The household already has a head."), code="two_heads")
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        if person.relation_to_head == RelationToHead.HEAD and heads.exists():
            raise Conflict(_("The household already has a head."), code="two_heads") from None
        raise Conflict(_("This ID number is already recorded for another person."), code="duplicate_id_number",
                       details={"id_number": person.id_number.masked}) from None


@transaction.atomic
def person_add(*, actor, household: Household, name: str, relation_to_head: str, **fields) -> Person:
    policies.require_edit(actor, household)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("A person needs a name."), details={"name": "required"})
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown person fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    _choice(relation_to_head, RelationToHead, "relation_to_head")
    _choice(fields.setdefault("residence_status", ResidenceStatus.REGISTERED), ResidenceStatus, "residence_status")
    fields = _checked_identity(fields)
    person = Person(household=household, name=name, relation_to_head=relation_to_head, **fields)
    person.division, person.county, person.township, person.village, person.grid = (
        household.division, household.county, household.township, household.village, household.grid)
    _save_person(person)
    _refresh_completeness(household)
    _history(actor=actor, household=household, person=person, action="person_add",
             changes=_snapshot(person, PERSON_FIELDS))
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **fields) -> Person:
    policies.require_edit(actor, person)
    before = _snapshot(person, PERSON_FIELDS)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown person fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if "relation_to_head" in fields:
        _choice(fields["relation_to_head"], RelationToHead, "relation_to_head")
    if "residence_status" in fields:
        _choice(fields["residence_status"], ResidenceStatus, "residence_status")
    if "id_number" in fields:
        fields = _checked_identity(fields)
    elif person.id_number and {"sex", "birth_date"} & set(fields):
        # A sex or birth date alone is checked against the recorded ID number, as on person_add.
        fields = _checked_identity({**fields, "id_number": person.id_number})
    for name, value in fields.items():
        setattr(person, name, value)
    _save_person(person)
    changes = _diff(before, _snapshot(person, PERSON_FIELDS))
    if changes:
        _refresh_completeness(person.household)
        _history(actor=actor, household=person.household, person=person, action="person_update", changes=changes)
    return person


@transaction.atomic
def relation_add(*, actor, person: Person, other: Person, kind: str, note: str = "") -> Relation:
    policies.require_edit(actor, person)
    _choice(kind, RelationKind, "kind")
    if person.pk == other.pk:
        raise ValidationFailed(_("A person cannot be related to themselves."))
    relation, created = Relation.objects.get_or_create(person=person, other=other, kind=kind,
                                                       defaults={"note": note})
    if created:
        _history(actor=actor, household=person.household, person=person, action="relation_add",
                 changes={"other": other.name, "kind": kind, "note": note}, obj=relation)
    return relation


REVEALABLE = {"id_number", "phone"}


def person_reveal(*, actor, person: Person, field: str, reason: str) -> str:
    """The full value of one field, for a stated reason. Writes who saw whose field, when and why."""
    if field not in REVEALABLE:
        raise ValidationFailed(_("Only id_number or phone can be revealed."), code="invalid_field",
                               details={"field": field})
    reason = (reason or "").strip()
    if not pii.reason_is_stated(reason):
        raise ValidationFailed(_("State why you need to see the full value."), code="reason_required",
                               details={"reason": "required"})
    policies.require_reveal(actor, person)
    with transaction.atomic():
        audit.record(actor=actor, action="archives.reveal", obj=person, object_repr=person.name,
                     after={"field": field, "reason": reason, "household": person.household_id})
    return getattr(person, field).reveal()


# ---------------------------------------------------------------- reads of personal information (PIPL Art. 56)

PII_READ_FILTERS_SKIPPED = {"page", "csrfmiddlewaretoken", "format"}


def pii_read_record(*, actor, what: str, filters, rows: int, shown: int) -> None:
    """One audit event per list or search request that showed personal information: who, with what filter
    (ID numbers and phones masked), how many rows matched and how many were shown. Bulk-friendly: one row
    per request, never per person. Past PII_READ_ALERT_ROWS rows shown to one user within an hour, the
    auditors are told (once per hour)."""
    if actor is None or not getattr(actor, "pk", None):
        return
    given = {}
    for name in sorted(filters):
        value = filters.get(name)
        if name in PII_READ_FILTERS_SKIPPED or value in (None, "", []):
            continue
        text = str(value)
        given[name] = pii.mask(name, pii.normalize(name, text)) if name in PII_FIELDS else pii.scrub(text)[:100]
    with transaction.atomic():
        audit.record(actor=actor, action="archives.pii_read", object_type=f"archives.{what}",
                     after={"filters": given, "rows": rows, "shown": shown})
        _watch_volume(actor, shown)


def _watch_volume(actor, shown: int) -> None:
    threshold = settings.PII_READ_ALERT_ROWS
    if not threshold or not shown:
        return
    now = clock.now()
    key = f"archives.pii_read:{actor.pk}:{now:%Y%m%d%H}"
    cache.add(key, 0, timeout=2 * 3600)
    total = cache.incr(key, shown)
    if total - shown <= threshold < total:  # this request went past it
        auditors = Grant.objects.filter(role=Role.AUDITOR, revoked_at__isnull=True, user__is_active=True) \
            .values_list("user_id", flat=True)
        label = audit.actor_label(actor)
        audit.record(actor=actor, action="archives.pii_read_alert", object_type="accounts.user",
                     object_id=actor.pk, object_repr=label, after={"rows": total, "threshold": threshold})
        notify(recipients=list(auditors), kind="archives.pii_read_alert",
               title=_("%(user)s read personal information of %(rows)d persons within an hour") % {
                   "user": label, "rows": total},
               body=_("More than %(threshold)d rows in an hour. The audit trail lists each read "
                      "(archives.pii_read).") % {"threshold": threshold})
