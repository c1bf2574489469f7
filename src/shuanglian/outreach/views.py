"""Contact-day pages: the month's calendar (whose 10th, the county's 20th, held or not, attendance, the
no-meeting days), one contact day (attendance ticks, visit logs, matters raised, holding it), household
visits (record one, raise a matter there) and visit coverage per township, village and grid.

Thin: reads through the scoped selectors (out of scope reads as 404), writes
through the services, whose refusals go on the form. Forms are single-column on a phone (360 px).
"""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from shuanglian.access.roles import (
    RECORD_VISITS,
    VIEW_ASSIGNED_MATTERS,
    VIEW_MATTERS,
)
from shuanglian.core import clock
from shuanglian.core.calendar import work_calendar
from shuanglian.core.exceptions import DomainError, NotFound, ValidationFailed
from shuanglian.core.htmx import (
    ServiceFormMixin,
    paginate,
    raise_for_read,
    read,
    render_page,
    require_any_capability,
)
from shuanglian.divisions.choices import Level as DivisionLevel
from shuanglian.divisions.filtersets import division_for_within
from shuanglian.divisions.forms import LEVEL_LABELS
from shuanglian.divisions.models import Division
from shuanglian.divisions.selectors import division_ancestors
from shuanglian.matters import policies as matter_policies
from shuanglian.organizations.models import Organization

from . import filtersets, policies, schedule, selectors, services
from .choices import AttendeeRole, ContactDayKind
from .forms import (
    AttendanceForm,
    AttendeeForm,
    DayVisitForm,
    HoldForm,
    MatterForm,
    PlanForm,
    VisitForm,
    VisitMatterForm,
)

SECTION = "contact_days"


def _require_viewer(user) -> None:
    require_any_capability(user, VIEW_MATTERS, VIEW_ASSIGNED_MATTERS)


def _require_visits(user) -> None:
    require_any_capability(user, VIEW_MATTERS, RECORD_VISITS)


def _month(request) -> tuple[int, int]:
    found = schedule.parse_month(request.GET.get("month", ""))
    if found is None:
        today = clock.today()
        return today.year, today.month
    return found


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


# ---------------------------------------------------------------- forms: shapes only; the services decide


OPERATIONS = {
    "attendee": gettext_lazy("List an attendee"),
    "attendance": gettext_lazy("Attendance"),
    "visit": gettext_lazy("Record a visit to a village"),
    "matter": gettext_lazy("Raise a matter"),
    "hold": gettext_lazy("Mark the day held"),
}
GRID_CHOICES_LIMIT = 300


# ---------------------------------------------------------------- the calendar


def _plannable(user) -> list[Division]:
    """The townships and counties the user may plan for (one query)."""
    where = policies.plan_divisions_q(user)
    if where is None:
        return []
    return list(Division.objects.current().filter(where)
                .filter(level__in=(DivisionLevel.COUNTY, DivisionLevel.TOWNSHIP)).order_by("code_key")[:100])


def _within_param(request, user) -> Division | None:
    code = (request.GET.get("within") or "").strip()
    if not code:
        return None
    division = division_for_within(code)
    if division is None:
        raise_for_read(NotFound(f"No division {code}."))
    return division


class CalendarView(LoginRequiredMixin, ServiceFormMixin, View):
    """The month: its days (contact days and no-meeting days marked) and each contact day in the user's
    area with its attendance, visits and matters. Planners plan the month from here."""

    template_name = "outreach/calendar.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        _require_viewer(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        request, user = self.request, self.request.user
        year, month = self.year_month
        within = _within_param(request, user)
        calendar = work_calendar(years=range(year, year + 1))
        days = list(selectors.contact_days_in_month(user, year, month, within=within))
        by_date: dict[dt.date, list] = {}
        for day in days:
            by_date.setdefault(day.date, []).append(day)
        weeks = schedule.month_calendar(year, month, calendar)
        for week in weeks:
            for cell in week:
                cell.days = by_date.get(cell.date, []) if cell.in_month else []
                cell.held = sum(d.held for d in cell.days)
        notes = [s.note() for s in schedule.scheduled_month(year, month, calendar).values() if s.note()]
        plannable = _plannable(user)
        return {
            "section": SECTION, "weeks": weeks, "days": days, "year": year, "month": month,
            "first": dt.date(year, month, 1), "prev": _shift(year, month, -1), "next": _shift(year, month, 1),
            "this_month": f"{year:04d}-{month:02d}", "within": within, "notes": notes,
            "plan_form": form or (PlanForm(divisions=plannable, prefix="plan") if plannable else None),
            "weekdays": [date_format(dt.date(2024, 1, i), "D") for i in range(1, 8)],  # 1 Jan 2024 is a Monday
            "legal_roles": [AttendeeRole(r).label for r in schedule.LEGAL_LIAISON_ROLES],
            "action": request.get_full_path(),
        }

    def get(self, request):
        self.year_month = _month(request)
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request):
        self.year_month = _month(request)
        plannable = _plannable(request.user)
        if not plannable:
            raise PermissionDenied
        return self.submit(PlanForm(request.POST, divisions=plannable, prefix="plan"))

    def perform(self, form):
        year, month = self.year_month
        division = form.divisions[form.cleaned_data["division"]]
        self.plan = services.contact_days_plan(actor=self.request.user, division=division, year=year,
                                                   month=month, townships=form.cleaned_data.get("townships", False))
        return self.plan

    def success_url(self, result) -> str:
        return f"{reverse('outreach:contact-calendar')}?{urlencode({'month': f'{result.year:04d}-{result.month:02d}'})}"

    def success_message(self, result) -> str:
        text = _("%(created)d contact day(s) planned, %(kept)d already planned.") % {
            "created": len(result.created), "kept": len(result.days) - len(result.created)}
        return " ".join([text, *result.notes])


# ---------------------------------------------------------------- one contact day


class ContactDayView(LoginRequiredMixin, ServiceFormMixin, View):
    """One contact day. Planners (township cadres for a 10th, the county office for the 20th) keep the
    attendance, the visit logs and the summary; whoever may report matters raises them here."""

    template_name = "outreach/detail.html"
    form_template_name = "outreach/partials/op_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user = request.user
        _require_viewer(user)
        self.day = read(selectors.contact_day_get_for_user, user, kwargs["pk"])
        self.may_plan = policies.may_plan_contact_days(user, self.day.division)
        self.may_report = matter_policies.may_report_somewhere(user) and self.day.date <= clock.today()
        return super().dispatch(request, *args, **kwargs)

    def operations(self) -> list[str]:
        ops = []
        if self.may_plan:
            ops.append("attendee")
            if self.day.kind == ContactDayKind.TOWNSHIP_VILLAGE and self.day.date <= clock.today():
                ops.append("visit")
        if self.may_report:
            ops.append("matter")
        if self.may_plan and self.day.date <= clock.today():
            ops.append("hold")
        return ops

    def _villages(self):
        return list(self.day.division.children.current().filter(level=DivisionLevel.VILLAGE).order_by("code"))

    def _grids(self):
        grids = (Division.objects.current().within(self.day.division).filter(level=DivisionLevel.GRID)
                 .select_related("parent").order_by("code_key"))
        found = list(grids[:GRID_CHOICES_LIMIT + 1])
        return found if len(found) <= GRID_CHOICES_LIMIT else None

    def _organizations(self):
        codes = [self.day.division.code, *self.day.division.ancestor_codes()]
        return list(Organization.objects.filter(is_active=True, division__code__in=codes, division__retired_on=None)
                    .exclude(kind="association").order_by("division__code", "name")[:200])

    def make_form(self, op: str, data=None):
        prefix = {"prefix": op}
        if op == "attendee":
            return AttendeeForm(data, organizations=self._organizations(), **prefix)
        if op == "attendance":
            return AttendanceForm(data, **prefix)
        if op == "visit":
            return DayVisitForm(data, villages=self._villages(), **prefix)
        if op == "matter":
            return MatterForm(data, grids=self._grids(), **prefix)
        if op == "hold":
            return HoldForm(data, initial={"summary": self.day.summary}, **prefix)
        raise KeyError(op)

    def get_context_data(self, form=None, **kwargs):
        user, day = self.request.user, self.day
        bound = getattr(self, "op", None) if form is not None else None
        attendees = list(selectors.contact_day_attendees(day))
        calendar = work_calendar(years=range(day.date.year, day.date.year + 1))
        allowed, reason = schedule.meeting_allowed(schedule.LEVEL_OF_KIND[day.kind], day.date,
                                                       calendar=calendar)
        sched = schedule.scheduled_day(day.kind, day.date.year, day.date.month, calendar)
        ops = [{"op": op, "title": OPERATIONS[op], "form": form if op == bound else self.make_form(op)}
               for op in self.operations()]
        context = {
            "section": SECTION, "day": day, "attendees": attendees,
            "present": sum(a.attended for a in attendees),
            "legal": selectors.legal_liaison(day, attendees),
            "visits": list(selectors.contact_day_visits(day)),
            "matters": list(selectors.contact_day_matters(user, day).select_related("grid")),
            "no_meeting": "" if allowed else reason, "note": sched.note() if sched.date == day.date else "",
            "working": calendar.is_working_day(day.date), "describe": calendar.describe(day.date),
            "may_plan": self.may_plan, "may_tick": self.may_plan and day.date <= clock.today(),
            "operations": ops, "month": f"{day.date:%Y-%m}", "action": self.request.get_full_path(),
        }
        if bound:
            context.update({"op": bound, "title": OPERATIONS[bound], "form": form})
        return context

    def get(self, request, pk):
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request, pk):
        op = request.POST.get("op", "")
        if op not in OPERATIONS:
            return HttpResponseBadRequest(_("Unknown operation."))
        if op != "matter" and not self.may_plan or op == "matter" and not self.may_report:
            raise PermissionDenied
        self.op = op
        if op == "attendance":  # a button in the attendance table: a refusal goes to the messages
            self.form_template_name = None
        return self.submit(self.make_form(op, request.POST))

    def perform(self, form):
        actor, day, data = self.request.user, self.day, dict(form.cleaned_data)
        op = self.op
        if op == "attendee":
            organization = form.organizations.get(data.pop("organization"))
            return services.contact_day_attendee_add(actor=actor, contact_day=day, organization=organization,
                                                         **data)
        if op == "attendance":
            attendee = day.attendees.filter(pk=data["attendee"]).first()
            if attendee is None:
                raise NotFound(_("No such attendee of this contact day."))
            attendee.contact_day = day
            return services.contact_day_attendance_mark(actor=actor, attendee=attendee,
                                                            attended=data["attended"])
        if op == "visit":
            village = form.villages[data.pop("village")]
            return services.contact_day_visit_add(actor=actor, contact_day=day, village=village, **data)
        if op == "matter":
            code = data.pop("grid").strip()
            grid = Division.objects.current().filter(code=code, level=DivisionLevel.GRID).first()
            if grid is None:
                raise ValidationFailed(_("No grid %(code)s.") % {"code": code}, details={"grid": [code]})
            return services.contact_day_matter_raise(actor=actor, contact_day=day, grid=grid, **data)
        return services.contact_day_hold(actor=actor, contact_day=day, summary=data["summary"])

    def success_url(self, result) -> str:
        return reverse("outreach:contact-day", kwargs={"pk": self.day.pk})

    def success_message(self, result) -> str:
        if self.op == "attendance":
            return ""
        if self.op == "matter":
            return _("Matter %(number)s recorded.") % {"number": result.number}
        return _("Saved: %(what)s.") % {"what": OPERATIONS[self.op]}


# ---------------------------------------------------------------- household visits


class VisitsView(LoginRequiredMixin, ServiceFormMixin, View):
    """Household visits in the user's area (filter by grid, month, household). With `?household=<id>`
    the page records a visit to that household; each visit offers "raise a matter"."""

    template_name = "outreach/visits.html"
    form_template_name = "outreach/partials/op_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        _require_visits(request.user)
        raw = (request.GET.get("household") or "").strip()
        self.household = read(selectors.household_for_visit, request.user, int(raw)) if raw.isdigit() else None
        self.may_record = self.household is not None and policies.may_record_visit(request.user, self.household)
        self.may_report = matter_policies.may_report_somewhere(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        request, user = self.request, self.request.user
        filterset = filtersets.VisitFilterSet(request.GET, queryset=selectors.visit_list_visible_to(user)
                                          .annotate(matter_count=Count("matters")))
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        page = paginate(request, rows)
        bound = getattr(self, "op", None) if form is not None else None
        if self.may_report:
            for visit in page.object_list:
                mine = bound == "matter" and visit.pk == getattr(self, "visit_pk", None)
                visit.matter_form = form if mine else VisitMatterForm(prefix=f"m{visit.pk}")
                visit.matter_open = mine
        record = form if bound == "visit" else VisitForm(prefix="visit", initial={"visited_on": clock.today()})
        context = {
            "section": SECTION, "page_obj": page, "household": self.household, "may_record": self.may_record,
            "may_report": self.may_report, "record_form": record if self.may_record else None,
            "action": request.get_full_path(), "invalid": filterset.errors,
            "filters": {k: request.GET.get(k, "") for k in ("grid", "month", "within")},
        }
        if bound:
            context.update({"op": bound, "form": form, "title": OPERATIONS["visit" if bound == "visit" else "matter"],
                            "visit_pk": getattr(self, "visit_pk", None)})
        return context

    def get(self, request):
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request):
        op = request.POST.get("op", "")
        if op == "visit":
            if not self.may_record:
                raise PermissionDenied
            self.op = op
            return self.submit(VisitForm(request.POST, prefix="visit"))
        if op == "matter":
            raw = (request.POST.get("visit") or "").strip()
            if not self.may_report or not raw.isdigit():
                raise PermissionDenied
            self.op, self.visit_pk = op, int(raw)
            self.visit = read(selectors.visit_get_for_user, request.user, self.visit_pk)
            return self.submit(VisitMatterForm(request.POST, prefix=f"m{self.visit_pk}"))
        return HttpResponseBadRequest(_("Unknown operation."))

    def perform(self, form):
        data = dict(form.cleaned_data)
        if self.op == "visit":
            return services.visit_record(actor=self.request.user, household=self.household, **data)
        return services.visit_matter_raise(actor=self.request.user, visit=self.visit, **data)

    def success_url(self, result) -> str:
        return self.request.get_full_path()

    def success_message(self, result) -> str:
        if self.op == "visit":
            return _("Visit to household %(number)s recorded.") % {"number": self.household.number}
        return _("Matter %(number)s recorded.") % {"number": result.number}


# ---------------------------------------------------------------- coverage


@login_required
def coverage(request):
    """Households visited this month and this quarter against the active households: the division asked
    about, then one row per division of the next level down (one grouped query each)."""
    user = request.user
    _require_visits(user)
    raw_on = (request.GET.get("on") or "").strip()
    try:
        on = dt.date.fromisoformat(raw_on) if raw_on else clock.today()
    except ValueError:
        on = clock.today()
    try:
        within = selectors.coverage_within(user, request.GET.get("within"))
    except NotFound as exc:
        raise_for_read(exc)
    except DomainError:
        within = None
    total = rows = level = None
    ancestors = []
    if within is not None:
        total = selectors.visit_coverage_total(user, within=within, on=on)
        levels = selectors.coverage_levels(within)
        level = levels[0] if levels else None
        rows = selectors.visit_coverage(user, within=within, level=level, on=on) if level else []
        ancestors = [a for a in division_ancestors(within) if selectors.covers(user, a)]
    else:
        roots = _coverage_roots(user)
        rows = [{"code": d.code, "name": d.name} for d in roots]
    month, quarter = selectors.window("month", on), selectors.window("quarter", on)
    return render_page(request, "outreach/coverage.html", {
        "section": SECTION, "within": within, "total": total, "rows": rows, "level": level,
        "level_label": LEVEL_LABELS.get(level, "") if level else "", "ancestors": ancestors, "on": on,
        "month": month, "quarter": quarter, "drill": level != DivisionLevel.GRID,
    })


def _coverage_roots(user) -> list[Division]:
    scopes = selectors.visit_scope(user) or ()
    codes = sorted({c for s in scopes for c in s.codes})
    if any(s.everything for s in scopes):
        return list(Division.objects.current().filter(level=DivisionLevel.COUNTY).order_by("code_key")[:50])
    return list(Division.objects.current().filter(code__in=codes).order_by("code_key"))
