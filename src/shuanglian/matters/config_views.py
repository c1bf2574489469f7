"""The county office's settings for matters: the time-limit table, the categories and the working-day
calendar. Only the county office (CONFIGURE_MATTERS county-wide) sees these pages; the services apply
the same rule again."""
from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View

from shuanglian.access.roles import CONFIGURE_MATTERS
from shuanglian.core import calendar as work_days
from shuanglian.core import clock
from shuanglian.core.calendar import calendar_day_set, year_days
from shuanglian.core.capabilities import CONFIGURE_CALENDAR
from shuanglian.core.exceptions import NotFound
from shuanglian.core.exceptions import PermissionDenied as DomainPermissionDenied
from shuanglian.core.htmx import (
    ServiceFormMixin,
    is_fragment_request,
    raise_for_read,
    render_page,
    require_any_capability,
)

from . import deadlines, policies, services
from .choices import LEVEL_ORDER, Level, MatterType, Stage
from .forms import CalendarDayForm, CategoryCreateForm, CategoryRenameForm, TimeLimitForm
from .models import Category, TimeLimit
from .views import subnav

YEARS = range(2000, 2101)


def require_configure(user) -> None:
    """403 unless the user is the county office (the services' rule, asked before showing the page)."""
    require_any_capability(user, CONFIGURE_MATTERS)
    try:
        policies.require_configure(user)
    except DomainPermissionDenied as exc:
        raise_for_read(exc)


class ConfigView(LoginRequiredMixin, ServiceFormMixin, View):
    tab = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.guard(request.user)
        return super().dispatch(request, *args, **kwargs)

    def guard(self, user) -> None:
        require_configure(user)

    def base_context(self) -> dict:
        return {**subnav(self.request.user), "page": "settings", "tab": self.tab}


# ---------------------------------------------------------------- time limits


def limit_rows() -> list[dict]:
    """The table as the page shows it: one block per level, a row per type, a cell per stage."""
    table = deadlines.limits_table()
    custom = set(TimeLimit.objects.values_list("level", "type", "stage"))
    blocks = []
    for level in LEVEL_ORDER:
        rows = []
        for type_ in MatterType.values:
            cells = []
            for stage in Stage.values:
                limit = table[(level, type_, stage)]
                cells.append({"stage": stage, "limit": limit, "custom": (level, type_, stage) in custom,
                              "url": reverse("matters:limit_edit", args=[level, type_, stage])})
            rows.append({"type": type_, "label": MatterType(type_).label, "cells": cells})
        blocks.append({"level": level, "label": Level(level).label, "rows": rows})
    return blocks


class TimeLimitsView(ConfigView):
    template_name = "matters/settings/limits.html"
    tab = "limits"

    def get(self, request):
        return render_page(request, self.template_name, {
            **self.base_context(), "blocks": limit_rows(), "stages": Stage.choices})


class TimeLimitEditView(ConfigView):
    """One cell of the table. With htmx its form opens beside the table; without, on a page of its own."""

    template_name = "matters/settings/limit_edit.html"
    form_template_name = "matters/settings/partials/limit_form.html"
    tab = "limits"

    def dispatch(self, request, *args, **kwargs):
        level, type_, stage = kwargs["level"], kwargs["type"], kwargs["stage"]
        if level not in Level.values or type_ not in MatterType.values or stage not in Stage.values:
            raise Http404
        self.cell = {"level": level, "type": type_, "stage": stage, "level_label": Level(level).label,
                     "type_label": MatterType(type_).label, "stage_label": Stage(stage).label,
                     "url": reverse("matters:limit_edit", args=[level, type_, stage])}
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        return {**self.base_context(), "cell": self.cell, "form": form}

    def get(self, request, **kwargs):
        limit = deadlines.limit_for(self.cell["level"], self.cell["type"], self.cell["stage"])
        form = TimeLimitForm(initial={"amount": limit.amount, "unit": limit.unit, "warn_before": limit.warn_before})
        context = self.get_context_data(form=form)
        if is_fragment_request(request) and request.htmx.target == "limit-editor":
            response = render(request, self.form_template_name, context)
            patch_vary_headers(response, ("HX-Request",))
            return response
        return render_page(request, self.template_name, context)

    def post(self, request, **kwargs):
        return self.submit(TimeLimitForm(request.POST))

    def perform(self, form):
        data = form.cleaned_data
        return services.time_limit_set(actor=self.request.user, level=self.cell["level"], type=self.cell["type"],
                                       stage=self.cell["stage"], amount=data["amount"], unit=data["unit"],
                                       warn_before=data["warn_before"])

    def success_url(self, result) -> str:
        return reverse("matters:settings") + f"#limits-{self.cell['level']}"

    def success_message(self, result) -> str:
        return _("Time limit saved: %(level)s, %(type)s, %(stage)s. Matters already running keep their "
                 "deadlines.") % {"level": self.cell["level_label"], "type": self.cell["type_label"],
                                  "stage": self.cell["stage_label"]}


# ---------------------------------------------------------------- categories


class CategoriesView(ConfigView):
    """Add a category, rename or reorder one, retire it (it leaves the form's menu; recorded matters keep
    it) or bring it back."""

    template_name = "matters/settings/categories.html"
    tab = "categories"

    def get_context_data(self, form=None, **kwargs):
        bound = getattr(self, "bound", None) if form is not None else None
        groups = []
        by_type: dict[str, list] = {}
        for category in Category.objects.all():
            form_ = form if bound == category.pk else CategoryRenameForm(
                initial={"name": category.name, "position": category.position}, prefix=f"c{category.pk}")
            by_type.setdefault(category.type, []).append((category, form_))
        for type_ in MatterType.values:
            groups.append({"type": type_, "label": MatterType(type_).label, "rows": by_type.get(type_, [])})
        return {**self.base_context(), "groups": groups,
                "create_form": form if bound == "create" else CategoryCreateForm()}

    def get(self, request):
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request):
        action = request.POST.get("action", "")
        if action == "create":
            self.bound = "create"
            return self.submit(CategoryCreateForm(request.POST))
        if action not in ("rename", "retire", "restore"):
            return HttpResponseBadRequest(_("Unknown operation."))
        self.category = Category.objects.filter(pk=request.POST.get("category") or 0).first() \
            if str(request.POST.get("category", "")).isdigit() else None
        if self.category is None:
            raise_for_read(NotFound("No such category."))
        self.bound, self.action = self.category.pk, action
        if action == "rename":
            return self.submit(CategoryRenameForm(request.POST, prefix=f"c{self.category.pk}"))
        return self.submit(CategoryRenameForm({f"c{self.category.pk}-name": self.category.name,
                                               f"c{self.category.pk}-position": self.category.position},
                                              prefix=f"c{self.category.pk}"))

    def perform(self, form):
        actor, data = self.request.user, form.cleaned_data
        if self.bound == "create":
            code = data["code"] or f"{data['type']}-{uuid.uuid4().hex[:6]}"
            position = data["position"] if data["position"] is not None else 100
            return services.category_create(actor=actor, type=data["type"], code=code, name=data["name"],
                                            position=position)
        if self.action == "rename":
            return services.category_update(actor=actor, category=self.category, name=data["name"],
                                            position=data["position"])
        return services.category_update(actor=actor, category=self.category, is_active=self.action == "restore")

    def success_url(self, result) -> str:
        return reverse("matters:settings_categories") + f"#cat-{result.pk}"

    def success_message(self, result) -> str:
        if self.bound == "create":
            return _("Category %(name)s added.") % {"name": result.name}
        if self.action == "retire":
            return _("Category %(name)s retired: it is no longer offered for new matters.") % {"name": result.name}
        if self.action == "restore":
            return _("Category %(name)s is offered again.") % {"name": result.name}
        return _("Category %(name)s saved.") % {"name": result.name}


# ---------------------------------------------------------------- the working-day calendar


def _year(request) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    year = int(raw) if raw.isdigit() else clock.today().year
    return year if year in YEARS else clock.today().year


class CalendarView(ConfigView):
    """A year's holidays and make-up working days (the shipped list, and the county office's corrections);
    set one day. Deadlines already running keep what they were given."""

    template_name = "matters/settings/calendar.html"
    tab = "calendar"

    def guard(self, user) -> None:
        """The calendar is core's: the page asks calendar_day_set's own rule (CONFIGURE_CALENDAR)."""
        require_any_capability(user, CONFIGURE_CALENDAR)
        try:
            work_days.require_configure(user)
        except DomainPermissionDenied as exc:
            raise_for_read(exc)

    def get_context_data(self, form=None, **kwargs):
        year = self.year
        days = year_days(year)
        for day in days:
            day["name"] = _(day["name"]) if day["name"] else ""  # the shipped names are translated
        return {**self.base_context(), "year": year, "days": days, "form": form or CalendarDayForm(
            initial={"date": clock.today() if clock.today().year == year else dt.date(year, 1, 1), "is_working": "0"}),
            "previous": year - 1 if year - 1 in YEARS else None, "next": year + 1 if year + 1 in YEARS else None,
            "holidays": sum(1 for d in days if not d["working"]), "workdays": sum(1 for d in days if d["working"])}

    def get(self, request):
        self.year = _year(request)
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request):
        self.year = _year(request)
        return self.submit(CalendarDayForm(request.POST))

    def perform(self, form):
        data = form.cleaned_data
        return calendar_day_set(actor=self.request.user, day=data["date"], is_working=data["is_working"],
                                name=data["name"])

    def success_url(self, result) -> str:
        return reverse("matters:settings_calendar") + f"?year={result.date.year}"

    def success_message(self, result) -> str:
        kind = _("a working day") if result.is_working else _("a day off")
        return _("%(date)s is now %(kind)s.") % {"date": result.date.isoformat(), "kind": kind}
