"""Team pages: the roster of one grid, the posted grid card, the coverage report and the statistics. Thin: the
selectors decide what is shown; out of scope reads as 404, no teams.view anywhere as 403."""
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from shuanglian.access.roles import MANAGE_TEAMS, SUBMIT_STAFF, VIEW_TEAMS
from shuanglian.core.exceptions import DomainError, NotFound
from shuanglian.core.htmx import (
    ServiceFormMixin,
    form_add_domain_error,
    is_fragment_request,
    paginate,
    raise_for_read,
    read,
    render_page,
    require_any_capability,
)
from shuanglian.core.tabular import template_response
from shuanglian.divisions.choices import Level
from shuanglian.divisions.selectors import division_get_for_user

from . import cards, importing, jobs, policies, selectors, services
from .choices import Category, TeamRole
from .forms import StaffAssignForm, StaffSubmitForm, TeamImportForm
from .models import Membership
from .services import staff


def _division_in_teams_scope(user, code: str, *, grid_only: bool = False):
    try:
        division = division_get_for_user(user, code)
    except NotFound as exc:
        raise_for_read(exc)
    if division.retired_on or (grid_only and division.level != Level.GRID):
        raise Http404
    if not policies.may_view_division(user, division):
        raise Http404
    return division


@login_required
def roster(request, code: str):
    """One grid's team now, and its history (ended posts, newest first)."""
    user = request.user
    require_any_capability(user, VIEW_TEAMS)
    grid = _division_in_teams_scope(user, code, grid_only=True)
    team = selectors.grid_roster(user, grid)
    history = (Membership.objects.filter(grid=grid, ended_on__isnull=False).select_related("member")
               .order_by("-ended_on", "-pk")[:50])
    return render_page(request, "teams/roster.html", {
        **team, "history": history, "roles": TeamRole,
        "may_manage": policies.may_manage_division(user, grid),
        "village": grid.parent, "township": grid.parent.parent if grid.parent_id else None,
    })


def _within(request):
    """A report page's `within` division (None: all one may see); 403 without teams.view, 404 out of scope."""
    require_any_capability(request.user, VIEW_TEAMS)
    code = (request.GET.get("within") or "").strip()
    return _division_in_teams_scope(request.user, code) if code else None


@login_required
def coverage(request):
    """The figures of /api/v1/stats/teams/ and the coverage lists, under `within` (default: all one may see)."""
    user = request.user
    within = _within(request)
    try:
        size = max(1, min(50, int(request.GET.get("size") or selectors.MIN_TEAM_SIZE)))
    except ValueError:
        size = selectors.MIN_TEAM_SIZE
    untrained = selectors.members_without_training(user, within)
    return render_page(request, "teams/coverage.html", {
        "within": within, "size": size,
        "stats": selectors.team_stats(user, within=within),
        "without_promoter": paginate(request, selectors.grids_without_promoter(user, within)),
        "small": selectors.teams_below_size(user, within, size=size)[:100],
        "busy": selectors.members_in_too_many_grids(user, within)[:100],
        "untrained": untrained[:100], "untrained_count": untrained.count(),
        "limit": selectors.MAX_GRIDS_PER_PERSON, "may_import": policies.may_manage_somewhere(user),
    })


# The chart's geometry, in SVG user units (the drawing scales to the page width).
BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, BAR_WIDTH = 22, 8, 150, 300


def category_bars(categories: dict[str, int]) -> dict:
    """A server-drawn horizontal bar chart of members by category: no script, prints, works offline."""
    largest = max(categories.values(), default=0) or 1
    bars = []
    for i, (value, label) in enumerate(Category.choices):
        count = categories.get(value, 0)
        y = i * (BAR_HEIGHT + BAR_GAP)
        bars.append({"label": label, "count": count, "y": y, "text_y": y + BAR_HEIGHT * 0.7,
                     "width": round(BAR_WIDTH * count / largest, 1)})
    return {"bars": bars, "height": len(bars) * (BAR_HEIGHT + BAR_GAP), "label_width": LABEL_WIDTH,
            "bar_height": BAR_HEIGHT, "width": LABEL_WIDTH + BAR_WIDTH + 60}


@login_required
def stats(request):
    """The figures of GET /api/v1/stats/teams/?within= (the same selector) and a chart of the categories."""
    user = request.user
    within = _within(request)
    figures = selectors.team_stats(user, within=within)
    return render_page(request, "teams/stats.html", {
        "within": within, "stats": figures, "chart": category_bars(figures["categories"]),
        "divisions": selectors.stats_divisions(user),
    })


def _cards_for(request, code: str, *, level: str) -> tuple[list[dict], str]:
    """The cards of one grid or of every grid of a village. Printing the posting is a manager's act
    (teams.manage; a promoter or volunteer gets 403); out of scope reads as 404."""
    user = request.user
    require_any_capability(user, MANAGE_TEAMS)
    division = _division_in_teams_scope(user, code)
    if division.level != level or not policies.may_manage_division(user, division):
        raise Http404
    grids = [division] if level == Level.GRID else selectors.card_grids(user, division)
    if not grids:
        raise Http404
    return selectors.grid_cards(user, grids), cards.page_size(request.GET.get("size"))


@login_required
def card(request, code: str):
    """The posted card of one grid as a print page (A5 by default, ?size=A4); generating it is audited."""
    found, size = _cards_for(request, code, level=Level.GRID)
    services.grid_cards_generated(actor=request.user, cards=found, output="html")
    response = render(request, "teams/card.html", {"card": found[0], "size": size})
    patch_cache_control(response, no_store=True, private=True)
    return response


def _cards_pdf(request, code: str, *, level: str, filename: str) -> HttpResponse:
    found, size = _cards_for(request, code, level=level)
    content = cards.cards_pdf(found, size)
    services.grid_cards_generated(actor=request.user, cards=found, output=f"pdf {size}")
    response = HttpResponse(content, content_type=cards.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    patch_cache_control(response, no_store=True, private=True)  # it holds phones in full
    return response


@login_required
def card_pdf(request, code: str):
    return _cards_pdf(request, code, level=Level.GRID, filename=f"grid-card-{code}.pdf")


@login_required
def village_cards_pdf(request, code: str):
    """Every grid card of a village in one PDF, one card a page."""
    return _cards_pdf(request, code, level=Level.VILLAGE, filename=f"grid-cards-{code}.pdf")


class ImportView(LoginRequiredMixin, ServiceFormMixin, View):
    """Upload a team list; it is checked and imported in the background (teams.jobs), and the page of the
    job shows its progress, then what was written or every invalid row as line, column and reason. The
    user's recent imports are listed."""

    template_name = "teams/import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_any_capability(request.user, MANAGE_TEAMS)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        recent = jobs.team_import_job_list_visible_to(self.request.user)[:RECENT_JOBS]
        return {"form": form or TeamImportForm(), "jobs": recent}

    def get(self, request):
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request):
        return self.submit(TeamImportForm(request.POST, request.FILES))

    def perform(self, form):
        data = form.cleaned_data
        return jobs.team_import_job_create(actor=self.request.user, upload=data["file"], dry_run=data["dry_run"],
                                           skip_invalid=data["skip_invalid"])

    def success_url(self, result) -> str:
        return reverse("teams:import_job", kwargs={"pk": result.pk})


RECENT_JOBS = 10
# The stages import_team_members reports.
STAGES = {"reading": gettext_lazy("reading the file"), "checking": gettext_lazy("checking every row"),
          "writing": gettext_lazy("writing the posts")}


@login_required
def import_job(request, pk: int):
    """A team-list import's progress (the page polls itself every second while it runs), then its result."""
    user = request.user
    require_any_capability(user, MANAGE_TEAMS)
    found = jobs.reap_if_stale(read(jobs.team_import_job_get_for_user, user, pk))
    progress = dict(found.progress or {}) if found.is_active else None
    if progress:
        progress["label"] = STAGES.get(progress.get("stage"), "")
    context = {"job": found, "progress": progress, "errors": found.errors[:500]}
    if is_fragment_request(request) and request.htmx.target == "job-status":
        response = render(request, "teams/partials/import_job_status.html", context)
        patch_vary_headers(response, ("HX-Request",))
        return response
    return render_page(request, "teams/import_job.html", context)


@login_required
def import_template(request):
    """The team-list template: the Chinese headers and two example rows, as .xlsx or (?format=csv) CSV."""
    require_any_capability(request.user, MANAGE_TEAMS)
    return template_response(importing.template_rows(), stem=_("team-list-template"), sheet_title=_("Grid teams"),
                             text_columns="AC", widths={"A": 18, "C": 14},
                             csv_format=request.GET.get("format") == "csv")


@login_required
def unit_staff(request):
    """Units' volunteering staff: a unit pastes or uploads its list; the county office sees those on no
    team yet and assigns them in bulk (spread over a division's grids, or explicit pairs). The outcome
    (what was recorded or assigned, or each invalid row) is shown on the page."""
    user = request.user
    require_any_capability(user, SUBMIT_STAFF, MANAGE_TEAMS)
    units = list(selectors.units_for_submit(user))
    may_assign = policies.may_manage_somewhere(user)
    divisions = list(selectors.stats_divisions(user)) if may_assign else []
    submit_form = StaffSubmitForm(units=units)
    assign_form = StaffAssignForm(units=units, divisions=divisions)
    outcome, status = None, 200
    if request.method == "POST":
        action = request.POST.get("action")
        form = (StaffSubmitForm(request.POST, request.FILES, units=units) if action == "submit"
                else StaffAssignForm(request.POST, units=units, divisions=divisions))
        if action == "submit":
            submit_form = form
        else:
            assign_form = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "submit":
                    unit = selectors.unit_for_submit(user, data["organization"])
                    outcome = {"submitted": staff.staff_submit(actor=user, organization=unit, rows=data["rows"])}
                else:
                    outcome = {"assigned": staff.assign_from(user, data)}
            except DomainError as exc:
                form_add_domain_error(form, exc)
                outcome = {"rows": (exc.details or {}).get("rows", [])}
                status = 422
        else:
            status = 422
    waiting = selectors.staff_visible_to(user, unassigned=True) if may_assign else None
    return render_page(request, "teams/staff.html", {
        "submit_form": submit_form if units else None, "assign_form": assign_form if may_assign else None,
        "outcome": outcome, "waiting": paginate(request, waiting) if waiting is not None else None,
    }, status=status)
