"""Team pages: the roster of one grid (printable: the posted grid card) and the coverage report. Thin: the
selectors decide what is shown; out of scope reads as 404, no teams.view anywhere as 403."""
from django.contrib.auth.decorators import login_required
from django.http import Http404

from shuanglian.accounts.roles import MANAGE_TEAMS, VIEW_TEAMS
from shuanglian.core.exceptions import NotFound
from shuanglian.core.htmx import paginate, raise_for_read, render_page, require_any_capability
from shuanglian.core.permissions import scope_for
from shuanglian.divisions.choices import Level
from shuanglian.divisions.selectors import division_get_for_user

from . import selectors
from .choices import TeamRole
from .models import Membership


def _division_in_teams_scope(user, code: str, *, grid_only: bool = False):
    try:
        division = division_get_for_user(user, code)
    except NotFound as exc:
        raise_for_read(exc)
    if division.retired_on or (grid_only and division.level != Level.GRID):
        raise Http404
    if not scope_for(user, VIEW_TEAMS).covers(division):
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
        "may_manage": scope_for(user, MANAGE_TEAMS).covers(grid),
        "village": grid.parent, "township": grid.parent.parent if grid.parent_id else None,
    })


@login_required
def coverage(request):
    """The figures of /api/v1/stats/teams/ and the coverage lists, under `within` (default: all one may see)."""
    user = request.user
    require_any_capability(user, VIEW_TEAMS)
    code = (request.GET.get("within") or "").strip()
    within = _division_in_teams_scope(user, code) if code else None
    try:
        size = max(1, min(50, int(request.GET.get("size") or selectors.MIN_TEAM_SIZE)))
    except ValueError:
        size = selectors.MIN_TEAM_SIZE
    return render_page(request, "teams/coverage.html", {
        "within": within, "size": size,
        "stats": selectors.team_stats(user, within=within),
        "without_promoter": paginate(request, selectors.grids_without_promoter(user, within)),
        "small": selectors.teams_below_size(user, within, size=size)[:100],
        "busy": selectors.members_in_too_many_grids(user, within)[:100],
        "limit": selectors.MAX_GRIDS_PER_PERSON,
    })
