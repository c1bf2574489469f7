"""Division pages: browse and drill down the tree, search it, and restructure it."""
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from shuanglian.access.roles import VIEW_DIVISIONS
from shuanglian.access.scope import scope_for
from shuanglian.core.exceptions import NotFound
from shuanglian.core.htmx import ServiceFormMixin, paginate, raise_for_read, render_page

from . import policies, services
from .choices import Level, child_level
from .filtersets import DivisionFilterSet
from .forms import (
    LEVEL_LABELS,
    CreateChildForm,
    DivisionSearchForm,
    MergeVillagesForm,
    MoveGridForm,
    RenameForm,
    RetireForm,
    SplitGridForm,
)
from .models import Division
from .selectors import (
    division_ancestors,
    division_child_counts,
    division_children_with_counts,
    division_get_for_user,
    division_list_visible_to,
)

SEARCH_KEYS = ("q", "level", "kind", "within")


def _level_label(level: str | None) -> str:
    return LEVEL_LABELS[level] if level else ""


def _with_level_labels(divisions):
    for division in divisions:
        division.level_label = _level_label(division.level)
    return divisions


def _get_division(user, code: str) -> Division:
    """The division as the user may see it; a retired one still answers (old links, successors)."""
    try:
        return division_get_for_user(user, code, include_retired=True)
    except NotFound as exc:
        raise_for_read(exc)


def _crumbs(user, division: Division) -> list[tuple[Division, bool]]:
    """Ancestors for the breadcrumbs, each with whether the user may open it (above one's scope: name only)."""
    scope = scope_for(user, VIEW_DIVISIONS)
    return [(a, scope.covers(a)) for a in division_ancestors(division)]


@login_required
def browse(request):
    """Start at the user's own part of the tree; with a query, search what the user may see."""
    user = request.user
    search = DivisionSearchForm(request.GET)
    if any(request.GET.get(key) for key in SEARCH_KEYS):
        visible = division_list_visible_to(user).select_related("parent")
        filterset = DivisionFilterSet(request.GET, queryset=visible)
        results = filterset.qs if filterset.is_valid() else visible.none()
        within = None
        if request.GET.get("within"):
            within = division_list_visible_to(user).filter(code=request.GET["within"]).first()
        page = paginate(request, results.order_by("code"))
        page.object_list = _with_level_labels(list(page.object_list))
        return render_page(request, "divisions/search.html", {
            "section": "divisions", "search": search, "within": within, "page_obj": page,
        })
    scope = scope_for(user, VIEW_DIVISIONS)
    roots = Division.objects.current().filter(parent__isnull=True) if scope.everything else \
        division_list_visible_to(user).filter(code__in=scope.codes)
    roots = _with_level_labels(list(
        roots.annotate(child_count=Count("children", filter=Q(children__retired_on__isnull=True))).order_by("code")))
    if len(roots) == 1:
        return redirect("divisions:detail", code=roots[0].code)
    return render_page(request, "divisions/browse.html", {"section": "divisions", "search": search, "roots": roots})


@login_required
def detail(request, code: str):
    """One division: breadcrumbs, counts per level below it, and its children. A constant number of
    queries however many children it has."""
    user = request.user
    division = _get_division(user, code)
    crumbs = _crumbs(user, division)
    counts = [(_level_label(level), n) for level, n in division_child_counts(division).items()]
    below = child_level(division.level)
    return render_page(request, "divisions/detail.html", {
        "section": "divisions",
        "division": division,
        "level_label": _level_label(division.level),
        "crumbs": crumbs,
        "counts": counts,
        "children": paginate(request, division_children_with_counts(division)),
        "child_level": _level_label(below),
        "grandchild_level": _level_label(child_level(below)) if below else "",
        "is_grid": division.level == Level.GRID,
        "may_restructure": division.retired_on is None and policies.may_restructure(user, division),
        "search": DivisionSearchForm(),
    })


class RestructureView(LoginRequiredMixin, ServiceFormMixin, View):
    """All restructuring operations that apply to one division, each a small form on one page."""

    template_name = "divisions/restructure.html"
    form_template_name = "divisions/partials/restructure_form.html"

    # action: (form, title, help, levels it applies to; None means every level)
    OPERATIONS = {
        "rename": (RenameForm, gettext_lazy("Rename"), gettext_lazy("The old name stays in the history."), None),
        "create": (CreateChildForm, gettext_lazy("Create a division under this one"), "", None),
        "merge": (MergeVillagesForm, gettext_lazy("Merge villages into this one"),
                  gettext_lazy("The chosen villages are retired; their grids and records move here."),
                  {Level.VILLAGE}),
        "move": (MoveGridForm, gettext_lazy("Move this grid to another village"),
                 gettext_lazy("The grid takes a new code there; its records follow it."), {Level.GRID}),
        "split": (SplitGridForm, gettext_lazy("Split this grid"),
                  gettext_lazy("New grids are created beside this one in the same village."), {Level.GRID}),
        "retire": (RetireForm, gettext_lazy("Retire"),
                   gettext_lazy("Only a division with nothing under it and no records can be retired."), None),
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.division = _get_division(request.user, kwargs["code"])
        if not policies.may_restructure(request.user, self.division):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def operations(self) -> list[str]:
        if self.division.retired_on:
            return []
        found = []
        for action, (_form, _title, _help, levels) in self.OPERATIONS.items():
            if levels is not None and self.division.level not in levels:
                continue
            if action == "create" and child_level(self.division.level) is None:
                continue
            found.append(action)
        return found

    def make_form(self, action: str, data=None):
        form_class = self.OPERATIONS[action][0]
        return form_class(data, prefix=action, division=self.division, user=self.request.user)

    def panel(self, action: str, form) -> dict:
        _form, title, help_text, _levels = self.OPERATIONS[action]
        if action == "create":
            title = _("Create a %(level)s under this one") % {
                "level": str(_level_label(child_level(self.division.level))).lower()}
        return {"action": action, "title": title, "help": help_text, "form": form}

    def get_context_data(self, form=None, **kwargs):
        bound = getattr(self, "action", None) if form is not None else None
        panels = [self.panel(a, form if a == bound else self.make_form(a)) for a in self.operations()]
        context = {"section": "divisions", "division": self.division, "panels": panels,
                   "level_label": _level_label(self.division.level),
                   "crumbs": _crumbs(self.request.user, self.division)}
        if bound:
            context["panel"] = self.panel(bound, form)
        return context

    def get(self, request, code):
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request, code):
        action = request.POST.get("action", "")
        if action not in self.operations():
            return HttpResponseBadRequest(_("Unknown operation."))
        self.action = action
        return self.submit(self.make_form(action, request.POST))

    def perform(self, form):
        data, user, division = form.cleaned_data, self.request.user, self.division
        day = data["effective_on"]
        if self.action == "rename":
            return services.division_rename(actor=user, division=division, name=data["name"], effective_on=day)
        if self.action == "create":
            return services.division_create(actor=user, parent=division, name=data["name"],
                                            code=data.get("code") or None, kind=data.get("kind") or None,
                                            planned_households=data.get("planned_households"), effective_on=day)
        if self.action == "merge":
            return services.village_merge(actor=user, sources=list(data["sources"]), target=division,
                                          effective_on=day, reason=data["reason"])
        if self.action == "move":
            return services.grid_move(actor=user, grid=division, village=data["village"], effective_on=day,
                                      reason=data["reason"])
        if self.action == "split":
            services.grid_split(actor=user, grid=division, names=data["names"], effective_on=day,
                                planned_households=data["planned_households"] or None)
            return division.parent
        if self.action == "retire":
            services.division_retire(actor=user, division=division, effective_on=day, reason=data["reason"])
            return division.parent
        raise AssertionError(self.action)

    def success_url(self, result) -> str:
        if result is None:
            return reverse("divisions:browse")
        return reverse("divisions:detail", kwargs={"code": result.code})

    def success_message(self, result) -> str:
        messages = {
            "rename": _("Renamed to %(name)s."),
            "create": _("Created %(name)s."),
            "merge": _("Villages merged into %(name)s."),
            "move": _("Grid moved; its new code is %(code)s."),
            "split": _("Grid split; the new grids are under %(name)s."),
            "retire": _("%(old)s retired."),
        }
        return messages[self.action] % {"name": getattr(result, "name", ""), "code": getattr(result, "code", ""),
                                        "old": self.division.name}
