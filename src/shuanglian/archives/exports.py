"""Exports of the archives: the village book (一村一册) and the household file (一户一档), as PDF and .xlsx.

What a reader sees follows `archives.disclosure`, applied in `_entries` and the history: ID numbers
and phones masked (`str(value)`); every personal and sensitive field (birth date, sex, education,
income, health, sensitive tags ...) absent where the actor lacks archives.view_pii; ID numbers and
phones in full only when the actor gives a reason and may reveal every person in the export. Every export writes one audit
event: `archives.export`, or `archives.export_revealed` with the reason.

PDFs are WeasyPrint renderings of `archives/export/*.html` with an embedded CJK font (see `cjk_fonts`).
"""
import datetime as dt
import io
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shuanglian.access.roles import VIEW_ARCHIVES
from shuanglian.access.scope import scope_for
from shuanglian.core import audit, clock, pii
from shuanglian.core.exceptions import DomainError, NotFound, PermissionDenied, ValidationFailed

# The font lives in core (every module's PDFs use it); re-exported for the archives' views and tests.
from shuanglian.core.pdf import (  # noqa: F401
    DEFAULT_CJK_FONT,
    ExportUnavailable,
    cjk_fonts,
    font_family_name,
    fonts_only,
    render_document,
)
from shuanglian.core.tabular import neutralized
from shuanglian.divisions.choices import Level
from shuanglian.divisions.models import Division
from shuanglian.divisions.selectors import division_ancestors

from . import disclosure, policies
from .choices import RelationKind, RelationToHead, ResidenceStatus, Sex
from .models import Household, HouseholdVersion, Person, Relation, Tag
from .selectors import household_list_visible_to, person_list_visible_to, pii_scope

logger = logging.getLogger(__name__)

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
VILLAGE_BOOK, HOUSEHOLD_FILE = "village_book", "household_file"
REASON_MIN = pii.REASON_MIN_LETTERS


# --- What the export holds ---------------------------------------------------------------------

@dataclass
class Member:
    name: str
    relation: str
    sex: str
    id_number: str
    phone: str
    birth_date: dt.date | None
    education: str
    occupation: str
    skills: str


@dataclass
class Entry:
    """One household as this reader may see it."""

    household: Household
    grid: str
    tags: list[str]
    income: Decimal | None
    pii: bool
    members: list[Member]
    relations: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)

    @property
    def shown(self) -> frozenset[str]:
        """The household fields this reader sees (archives.disclosure)."""
        return disclosure.household_shown(sees_pii=self.pii)

    @property
    def income_text(self) -> str:
        return "" if self.income is None else f"{self.income:,.2f}"


@dataclass
class Target:
    """What an export covers, already scoped to the actor: a village's visible households, or one."""

    kind: str
    village: Division
    households: list[Household]
    persons: list[Person]
    household: Household | None = None
    partial_grids: list[str] = field(default_factory=list)  # set when the actor sees only some grids

    @property
    def obj(self):
        return self.household if self.household is not None else self.village


@dataclass
class ExportFile:
    content: bytes
    filename: str
    content_type: str


def village_visible(user, village: Division) -> bool:
    scope = scope_for(user, VIEW_ARCHIVES)
    return scope.covers(village) or any(code.startswith(village.code) for code in scope.codes)


def _members_of(user, **filters) -> list[Person]:
    return list(person_list_visible_to(user).filter(household__is_active=True, **filters)
                .select_related("county").order_by("pk"))


def village_book_target(user, code: str) -> Target:
    """The village's households that the user may see; a village outside their scope reads as not found."""
    village = Division.objects.current().filter(code=code, level=Level.VILLAGE).first()
    if village is None or not village_visible(user, village):
        raise NotFound(_("No village %(code)s that you may see.") % {"code": code})
    households = list(household_list_visible_to(user).filter(village=village).select_related("county")
                      .order_by("grid__code", "number"))
    partial = []
    scope = scope_for(user, VIEW_ARCHIVES)
    if not scope.covers(village):
        partial = list(Division.objects.filter(code__in=[c for c in scope.codes if c.startswith(village.code)])
                       .order_by("code").values_list("name", flat=True))
    return Target(VILLAGE_BOOK, village, households, _members_of(user, village=village), partial_grids=partial)


def household_file_target(user, pk: int) -> Target:
    household = household_list_visible_to(user).filter(pk=pk).select_related("county").first()
    if household is None:
        raise NotFound(_("No household %(pk)s that you may see.") % {"pk": pk})
    return Target(HOUSEHOLD_FILE, household.village, [household], _members_of(user, household=household),
                  household=household)


def may_reveal(user, target: Target) -> bool:
    """Whether the user may reveal every record in the export (and there is at least one)."""
    try:
        _require_reveal(user, target)
    except DomainError:
        return False
    return True


def _require_reveal(user, target: Target) -> None:
    if user is None or not target.households:
        raise PermissionDenied(_("There is nothing here that you may reveal."))
    for record in (*target.households, *target.persons):
        policies.require_reveal(user, record)


_RELATION_ORDER = {value: i for i, value in enumerate(RelationToHead.values)}
_CHOICES = {"relation_to_head": RelationToHead, "residence_status": ResidenceStatus, "sex": Sex,
            "kind": RelationKind}


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else (value or "")


def _member(person: Person, *, pii: bool, revealed: bool) -> Member:
    shown = disclosure.person_shown(sees_pii=pii)

    def masked(name):
        if name not in shown:
            return ""
        value = getattr(person, name)
        return value.reveal() if revealed else str(value)

    def plain(name, value=None):
        return (getattr(person, name) if value is None else value) if name in shown else ""

    return Member(name=person.name, relation=_label(RelationToHead, person.relation_to_head),
                  sex=plain("sex", _label(Sex, person.sex)), id_number=masked("id_number"), phone=masked("phone"),
                  birth_date=plain("birth_date") or None, education=plain("education"),
                  occupation=plain("occupation"), skills=plain("skills"))


def _entries(user, target: Target, *, revealed: bool) -> list[Entry]:
    pii = pii_scope(user)
    by_household: dict[int, list[Person]] = {}
    for person in target.persons:
        by_household.setdefault(person.household_id, []).append(person)
    entries = []
    tags_by_index = Tag.by_index()
    for household in target.households:
        sees_pii = pii.covers_record(household)
        members = sorted(by_household.get(household.pk, []),
                         key=lambda p: (_RELATION_ORDER.get(p.relation_to_head, 99), p.pk))
        tags = [tag.name for tag in household.tag_list(tags_by_index) if disclosure.tag_shown(tag, sees_pii=sees_pii)]
        entries.append(Entry(
            household=household, grid=household.grid.name, tags=tags,
            income=household.annual_income if "annual_income" in disclosure.household_shown(sees_pii=sees_pii)
            else None,
            pii=sees_pii,
            members=[_member(p, pii=sees_pii, revealed=revealed) for p in members]))
    return entries


def _field_label(name: str) -> str:
    extra = {"name": _("full name"), "reason": _("Reason"), "other": _("related person"), "tags": _("Tags"), "grid": _("grid")}
    if name in extra:
        return extra[name]
    for model in (Person, Household, Relation):
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:
            continue
    return name


def _shown_value(name: str, value, tag_names: dict) -> str:
    if name in _CHOICES:
        return _label(_CHOICES[name], value)
    if name == "tags":
        return "、".join(tag_names.get(code, code) for code in value) or "—"
    return "—" if value in (None, "") else str(value)


def _change_text(version: HouseholdVersion, *, pii: bool, tags: dict[str, tuple[str, bool]],
                 hidden: set[str]) -> str:
    """A readable summary of a version's changes, as disclosure lets this reader see it. `hidden` are the
    names of related persons outside the reader's area."""
    names = {code: name for code, (name, sensitive) in tags.items() if pii or not sensitive}
    sensitive_tags = {code for code, (_name, sensitive) in tags.items() if sensitive}
    parts = []
    seen = disclosure.history_changes(version.changes, sees_pii=pii, sensitive_tags=sensitive_tags,
                                      known_tags=set(tags))
    for key, value in seen.items():
        if key == "other" and value in hidden:
            value = _("(outside your area)")
        if key == "tags" and isinstance(value, list) and len(value) == 2:
            old, new = ([c for c in side if c in names] for side in value)
            if old != new:
                parts.append(f"{_field_label(key)}: {_shown_value(key, old, names)} → {_shown_value(key, new, names)}")
            continue
        if isinstance(value, list) and len(value) == 2 and version.action.endswith(("update", "move")):
            parts.append(f"{_field_label(key)}: {_shown_value(key, value[0], names)} → "
                         f"{_shown_value(key, value[1], names)}")
        elif value not in (None, "", []):
            parts.append(f"{_field_label(key)}: {_shown_value(key, value, names)}")
    return "; ".join(parts) or "—"


def action_labels() -> dict[str, str]:
    return {
        "household_register": _("Household registered"),
        "household_update": _("Household changed"),
        "household_tags": _("Tags changed"),
        "person_add": _("Member added"),
        "person_update": _("Member changed"),
        "relation_add": _("Relation added"),
    }


def _household_details(user, entry: Entry) -> None:
    """Relations and history, for the household file."""
    household = entry.household
    view = scope_for(user, VIEW_ARCHIVES)
    relations = (Relation.objects.filter(Q(person__household=household) | Q(other__household=household))
                 .select_related("person__household", "person__county", "other__household", "other__county")
                 .order_by("pk"))
    hidden: set[str] = set()
    outside = _("(outside your area)")
    for relation in relations:
        # The far side of a relation may live outside the reader's area: name it only if they may see it.
        person, other = relation.person, relation.other
        seen = {p.pk: view.covers_record(p) for p in (person, other)}
        hidden.update(p.name for p in (person, other) if not seen[p.pk])
        entry.relations.append({
            "person": person.name if seen[person.pk] else outside,
            "kind": _label(RelationKind, relation.kind),
            "other": other.name if seen[other.pk] else outside,
            "other_household": other.household.number if seen[other.pk] else "",
            "note": relation.note,
        })
    tags = {t.code: (t.name, t.sensitive) for t in Tag.objects.all()}
    labels = action_labels()
    for version in household.versions.select_related("person").order_by("-at", "-id"):
        entry.history.append({
            "at": timezone.localtime(version.at),
            "actor": version.actor_label,
            "action": labels.get(version.action, version.action),
            "person": version.person.name if version.person_id else "",
            "changes": _change_text(version, pii=entry.pii, tags=tags, hidden=hidden),
        })


# --- Rendering ---------------------------------------------------------------------------------

def full_name(division: Division) -> str:
    return "".join(a.name for a in division_ancestors(division)) + division.name


def _context(user, target: Target, entries: list[Entry], *, reason: str | None) -> dict:
    generated = timezone.localtime(clock.now())
    title = _("Village book") if target.kind == VILLAGE_BOOK else _("Household file")
    completeness = [e.household.completeness for e in entries]
    context = {
        "kind": target.kind, "title": title, "village": target.village, "village_full_name": full_name(target.village),
        "household": target.household, "entries": entries, "entry": entries[0] if target.household else None,
        "pii": any(e.pii for e in entries), "revealed": reason is not None, "reason": reason,
        "actor": audit.actor_label(user), "generated": generated, "partial_grids": target.partial_grids,
        "household_count": len(entries), "person_count": sum(len(e.members) for e in entries),
        "average_completeness": round(sum(completeness) / len(completeness)) if completeness else None,
    }
    context["notice"] = _notice(context)
    return context


def render_pdf(context: dict, progress=None) -> bytes:
    """The PDF; `progress(stage, done, total)`, if given, hears of the layout and of the pages written."""
    template = "archives/export/village_book.html" if context["kind"] == VILLAGE_BOOK \
        else "archives/export/household_file.html"
    if progress:
        progress("layout", 0, context["household_count"])
    document = render_document(template, context)
    if progress:
        progress("writing", 0, len(document.pages))
    return document.write_pdf()


XLSX_COLUMNS = [  # (header, key, width, the field whose disclosure rule the column follows)
    ("网格", "grid", 12, "grid"), ("户号", "number", 10, "number"), ("地址", "address", 24, "address"),
    ("标签", "tags", 16, "tags"), ("家庭年收入", "income", 12, "annual_income"),
    ("完整度", "completeness", 8, "completeness"), ("姓名", "name", 10, "name"),
    ("与户主关系", "relation", 11, "relation_to_head"), ("性别", "sex", 6, "sex"),
    ("身份证号", "id_number", 21, "id_number"), ("联系电话", "phone", 14, "phone"),
    ("出生日期", "birth_date", 12, "birth_date"), ("文化程度", "education", 10, "education"),
    ("职业", "occupation", 12, "occupation"), ("技能特长", "skills", 18, "skills"),
]


def _sheet(workbook, title: str, headers: list[tuple[str, int]], rows, *, context: dict, first: bool = False):
    # openpyxl is heavy and only for .xlsx: loaded on first use.
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    sheet.append(neutralized([h for h, _w in headers]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
    for row in rows:
        sheet.append(neutralized(row))  # text from the archives is never a formula
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
    for i, (_h, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.oddHeader.center.text = f"{context['village_full_name']} ({context['village'].code}) {context['title']}"
    sheet.oddFooter.left.text = context["notice"]
    sheet.oddFooter.right.text = "&P / &N"
    return sheet


def _notice(context: dict) -> str:
    generated = context["generated"].strftime("%Y-%m-%d %H:%M")
    if context["revealed"]:
        return _("Full personal information, exported by %(actor)s on %(at)s for: %(reason)s") % {
            "actor": context["actor"], "at": generated, "reason": context["reason"]}
    if context["pii"]:
        return _("Personal information masked. Generated %(at)s") % {"at": generated}
    return _("Generated %(at)s") % {"at": generated}


def render_xlsx(context: dict) -> bytes:
    from openpyxl import Workbook  # heavy, and only for .xlsx: loaded on first use

    columns = [c for c in XLSX_COLUMNS if disclosure.shown(c[3], sees_pii=context["pii"])]
    rows = []
    for entry in context["entries"]:
        hh = entry.household
        household_values = {"grid": entry.grid, "number": hh.number, "address": hh.address,
                            "tags": "、".join(entry.tags), "income": entry.income, "completeness": hh.completeness}
        for member in entry.members or [None]:
            values = {**household_values, **(vars(member) if member else {})}
            rows.append([values.get(key, "") for _h, key, _w, _p in columns])
    workbook = Workbook()
    workbook.properties.title = f"{context['village_full_name']} {context['title']}"
    workbook.properties.creator = "Shuanglian"
    title = context["village"].name if context["kind"] == VILLAGE_BOOK else f"{context['household'].number}"
    _sheet(workbook, title, [(h, w) for h, _k, w, _p in columns], rows, context=context, first=True)
    if context["kind"] == HOUSEHOLD_FILE:
        entry = context["entry"]
        _sheet(workbook, "社会关系", [("人员", 12), ("关系", 12), ("对方", 12), ("对方户号", 10), ("备注", 30)],
               [[r["person"], r["kind"], r["other"], r["other_household"], r["note"]] for r in entry.relations],
               context=context)
        _sheet(workbook, "变更记录", [("时间", 18), ("操作人", 14), ("操作", 14), ("人员", 10), ("内容", 80)],
               [[h["at"].strftime("%Y-%m-%d %H:%M"), h["actor"], h["action"], h["person"], h["changes"]]
                for h in entry.history], context=context)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _filename(context: dict, fmt: str) -> str:
    name = context["village"].name if context["kind"] == VILLAGE_BOOK \
        else f"{context['village'].name}-{context['household'].number}"
    stem = f"{name}-{context['title']}-{context['generated']:%Y%m%d}"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", stem) + f".{fmt}"


# --- The services ------------------------------------------------------------------------------

def export_check(*, actor, target: Target, fmt: str, reveal_reason: str | None = None) -> str | None:
    """What `export_make` refuses, checked without rendering: the format, the reason, the permission to
    reveal. Returns the reason stripped (None: masked)."""
    if fmt not in FORMATS:
        raise ValidationFailed(_("Export as pdf or xlsx."), code="invalid_format", details={"format": fmt})
    if reveal_reason is None:
        return None
    reveal_reason = reveal_reason.strip()
    if not pii.reason_is_stated(reveal_reason):
        raise ValidationFailed(_("State why you need the full ID numbers and phones."), code="reason_required",
                               details={"reason": "required"})
    _require_reveal(actor, target)
    return reveal_reason


def export_make(*, actor, target: Target, fmt: str, reveal_reason: str | None = None, progress=None) -> ExportFile:
    """Render the export and audit it. With `reveal_reason`, ID numbers and phones are in full: the actor
    must be allowed to reveal every record in it, and one `archives.export_revealed` event says why.
    `progress(stage, done, total)`, if given, hears where the rendering has got to (export jobs)."""
    reveal_reason = export_check(actor=actor, target=target, fmt=fmt, reveal_reason=reveal_reason)
    revealed = reveal_reason is not None
    entries = _entries(actor, target, revealed=revealed)
    if target.kind == HOUSEHOLD_FILE:
        _household_details(actor, entries[0])
    context = _context(actor, target, entries, reason=reveal_reason)
    if fmt == "pdf":
        content = render_pdf(context, progress)
    else:
        if progress:
            progress("writing", 0, context["household_count"])
        content = render_xlsx(context)
    pii = "revealed" if revealed else ("masked" if context["pii"] else "omitted")
    details = {"export": target.kind, "format": fmt, "village": target.village.code,
               "households": context["household_count"], "persons": context["person_count"], "pii": pii}
    if target.household is not None:
        details["household"] = target.household.number
    if revealed:
        details["reason"] = reveal_reason
    audit.record(actor=actor, action="archives.export_revealed" if revealed else "archives.export",
                 obj=target.obj, after=details)
    return ExportFile(content=content, filename=_filename(context, fmt), content_type=FORMATS[fmt])


def village_book_export(*, actor, code: str, fmt: str, reveal_reason: str | None = None) -> ExportFile:
    return export_make(actor=actor, target=village_book_target(actor, code), fmt=fmt, reveal_reason=reveal_reason)


def household_file_export(*, actor, pk: int, fmt: str, reveal_reason: str | None = None) -> ExportFile:
    return export_make(actor=actor, target=household_file_target(actor, pk), fmt=fmt, reveal_reason=reveal_reason)
