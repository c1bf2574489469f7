"""Training of the grid teams: the county's lecturer group (讲师团), sessions in the townships and who attended.

Writes, audited, in a transaction; the scoped reads are in teams.selectors. A session belongs to one township;
its attendance is a set of members holding a post in that township on the session's date. `actor=None` is the
system (commands, the demo).
"""
import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from shuanglian.core import audit, clock
from shuanglian.core.bulk import copy_or_insert
from shuanglian.core.exceptions import ValidationFailed, full_clean
from shuanglian.divisions.choices import Level
from shuanglian.divisions.models import Division
from shuanglian.organizations.models import Organization

from .. import policies
from ..models import Attendance, Lecturer, TrainingSession
from ..selectors import eligible_posts

LECTURER_FIELDS = ("name", "department", "topics", "is_active")



def _lecturer_snapshot(lecturer: Lecturer) -> dict:
    return {"name": lecturer.name, "department": lecturer.department_id, "topics": lecturer.topics,
            "is_active": lecturer.is_active}


def _check_department(department: Organization) -> None:
    if department.division.level != Level.COUNTY or not department.is_active:
        raise ValidationFailed(_("A lecturer comes from an active county department; %(d)s is not one.")
                               % {"d": department.name}, details={"department": department.pk})


@transaction.atomic
def lecturer_create(*, actor, name: str, department: Organization, topics: str = "", is_active: bool = True) -> Lecturer:
    policies.require_manage_lecturers(actor, department)
    _check_department(department)
    lecturer = Lecturer(name=(name or "").strip(), department=department, topics=(topics or "").strip(),
                        is_active=is_active)
    full_clean(lecturer)  # a blank name, or the same name twice in a department, says which field
    lecturer.save()
    audit.record(actor=actor, action="teams.lecturer_create", obj=lecturer, after=_lecturer_snapshot(lecturer))
    return lecturer


@transaction.atomic
def lecturer_update(*, actor, lecturer: Lecturer, **changes) -> Lecturer:
    """Change the name, department, topics or active flag (a lecturer who leaves the group is made inactive:
    the sessions they gave keep them as trainers)."""
    unknown = set(changes) - set(LECTURER_FIELDS)
    if unknown:
        raise ValidationFailed(_("A lecturer has no field %(f)s.") % {"f": ", ".join(sorted(unknown))})
    policies.require_manage_lecturers(actor, lecturer.department)
    lecturer = Lecturer.objects.select_for_update().get(pk=lecturer.pk)
    before = _lecturer_snapshot(lecturer)
    for name, value in changes.items():
        setattr(lecturer, name, value.strip() if isinstance(value, str) else value)
    if "department" in changes:
        policies.require_manage_lecturers(actor, lecturer.department)
        _check_department(lecturer.department)
    full_clean(lecturer)
    lecturer.save()
    audit.record(actor=actor, action="teams.lecturer_update", obj=lecturer, before=before,
                 after=_lecturer_snapshot(lecturer))
    return lecturer


def _check_trainers(trainers: Iterable[Lecturer]) -> list[Lecturer]:
    """The trainers as stored now: each still in the group."""
    ids = [t.pk for t in trainers]
    found = list(Lecturer.objects.filter(pk__in=ids).order_by("pk")) if ids else []
    inactive = [t for t in found if not t.is_active]
    if inactive or len(found) != len(set(ids)):
        raise ValidationFailed(_("No longer in the lecturer group: %(names)s.")
                               % {"names": ", ".join(t.name for t in inactive) or "-"},
                               details={"trainers": [t.pk for t in inactive]})
    return found


def _check_township(township: Division) -> None:
    if township.level != Level.TOWNSHIP or township.retired_on:
        raise ValidationFailed(_("A training session is held in a current township."),
                               details={"township": township.code})


@transaction.atomic
def session_create(*, actor, township: Division, topic: str, held_on: dt.date, place: str = "",
                   trainers: Iterable[Lecturer] = (), notes: str = "") -> TrainingSession:
    _check_township(township)
    policies.require_record_training(actor, township)
    trainers = _check_trainers(trainers)
    session = TrainingSession(topic=(topic or "").strip(), held_on=held_on, place=(place or "").strip(),
                              notes=(notes or "").strip())
    session.attach_to(township)
    full_clean(session, exclude=["division", "county", "township", "village", "grid"])
    session.save()
    session.trainers.set(trainers)
    audit.record(actor=actor, action="teams.training_session_create", obj=session,
                 object_repr=f"{township.name} {held_on} {session.topic}",
                 after={"township": township.code, "topic": session.topic, "held_on": held_on,
                        "place": session.place, "trainers": [t.pk for t in trainers]})
    return session


@transaction.atomic
def session_attendance_set(*, actor, session: TrainingSession, member_ids: Iterable[int]) -> dict:
    """Record who attended, as a whole list (the ticked boxes of the form): members not in it are taken off.
    Every id must be a member holding a post in the session's township on its date; otherwise nothing is
    recorded and the message lists the ids refused. Set-based: one query for the current list, one insert
    and one delete."""
    township = Division.objects.get(pk=session.township_id)
    policies.require_record_training(actor, township)
    if session.held_on > clock.today():
        raise ValidationFailed(_("Attendance is recorded once the session has been held (%(d)s).")
                               % {"d": session.held_on.isoformat()}, details={"held_on": "future"})
    wanted = set(member_ids)
    eligible = set(eligible_posts(session).filter(member_id__in=wanted).values_list("member_id", flat=True))
    refused = sorted(wanted - eligible)
    if refused:
        raise ValidationFailed(
            _("Members %(ids)s hold no post in %(township)s on %(d)s.")
            % {"ids": ", ".join(map(str, refused)), "township": township.name, "d": session.held_on.isoformat()},
            code="not_eligible", details={"members": refused})
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)  # one writer per session at a time
    present = set(Attendance.objects.filter(session=session).values_list("member_id", flat=True))
    added, removed = sorted(wanted - present), sorted(present - wanted)
    Attendance.objects.bulk_create([Attendance(session=session, member_id=m) for m in added])
    if removed:
        Attendance.objects.filter(session=session, member_id__in=removed).delete()
    counts = {"attended": len(wanted), "added": len(added), "removed": len(removed)}
    audit.record(actor=actor, action="teams.attendance_set", obj=session,
                 object_repr=f"{township.name} {session.held_on} {session.topic}",
                 after={**counts, "added_ids": added, "removed_ids": removed})
    return counts


@transaction.atomic
def training_load(*, actor, lecturers: list[dict], sessions: list[dict], batch_size: int = 2000) -> dict:
    """A year of training at once (the demo, first loads): the lecturers, the sessions with their trainers (given
    as indexes into `lecturers`) and attendance (member ids), in a few multi-row INSERTs (the attendance by
    COPY or executemany, core.bulk) and one audit event.
    Each session is a dict with township (a Division), topic, held_on, place, trainers, members. The members
    are trusted to hold posts there: the caller built the list from the posts."""
    for department in {d["department"].pk: d["department"] for d in lecturers}.values():
        policies.require_manage_lecturers(actor, department)
        _check_department(department)
    for township in {s["township"].pk: s["township"] for s in sessions}.values():
        _check_township(township)
        policies.require_record_training(actor, township)
    made = Lecturer.objects.bulk_create([Lecturer(**d) for d in lecturers], batch_size=batch_size)
    columns = {t.pk: {"division_id": t.pk, "township_id": t.pk, "county_id": t.parent_id}
               for t in {s["township"] for s in sessions}}
    rows = TrainingSession.objects.bulk_create(
        [TrainingSession(topic=s["topic"], held_on=s["held_on"], place=s.get("place", ""),
                         **columns[s["township"].pk]) for s in sessions], batch_size=batch_size)
    Trainer = TrainingSession.trainers.through
    Trainer.objects.bulk_create([Trainer(trainingsession_id=row.pk, lecturer_id=made[i].pk)
                                 for row, s in zip(rows, sessions, strict=True) for i in s["trainers"]],
                                batch_size=batch_size)
    attendance = [(row.pk, m) for row, s in zip(rows, sessions, strict=True) for m in dict.fromkeys(s["members"])]
    copy_or_insert(Attendance._meta.db_table, ["session_id", "member_id"], attendance, chunk=batch_size, binary=True)
    counts = {"lecturers": len(made), "sessions": len(rows), "attendance": len(attendance)}
    audit.record(actor=actor, action="teams.training_load", object_type="teams.trainingsession",
                 object_repr=f"{len(rows)} training sessions", after=counts)
    return counts
