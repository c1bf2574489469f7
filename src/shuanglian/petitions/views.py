"""Petition pages: the register with filters, the intake form (phone width), one petition with its timeline,
clock and the actions its state allows, the backlog board and the statistics with a chart of the monthly
counts. Thin: reads through the selectors (out of scope reads as 404), writes through the services."""
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from shuanglian.access.roles import HANDLE_PETITIONS, VIEW_PETITIONS
from shuanglian.archives.export_views import content_disposition
from shuanglian.core import clock
from shuanglian.core.exceptions import DomainError, NotFound
from shuanglian.core.htmx import (
    ServiceFormMixin,
    paginate,
    raise_for_read,
    read,
    render_page,
    require_any_capability,
    year_param,
)
from shuanglian.core.tabular import template_response
from shuanglian.divisions.filtersets import division_for_within

from . import documents, filtersets, policies, selectors, services
from .choices import CONFIDENTIAL, Action
from .forms import ActionForm, IntakeForm, RegisterFilterForm, StatsForm

SECTION = "petitions"


def _require_viewer(user) -> None:
    require_any_capability(user, VIEW_PETITIONS, HANDLE_PETITIONS)


def _shown_name(user, petition) -> str:
    if petition.confidential and not policies.may_see_identity(user, petition):
        return _("(confidential)")
    return services.masked_name(petition.petitioner_name)


@login_required
def petition_list(request):
    user = request.user
    _require_viewer(user)
    filterset = filtersets.PetitionFilterSet(request.GET, queryset=selectors.petition_list_visible_to(user),
                                             request=request)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = paginate(request, rows)
    for petition in page.object_list:
        petition.shown_name = _shown_name(user, petition)
    return render_page(request, "petitions/list.html", {
        "section": SECTION, "form": RegisterFilterForm(request.GET), "page_obj": page, "invalid": filterset.errors,
        "may_register": policies.may_register_somewhere(user)})


class IntakeView(LoginRequiredMixin, ServiceFormMixin, View):
    template_name = "petitions/intake.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not policies.may_register_somewhere(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {"section": SECTION, **kwargs}

    def get(self, request):
        form = IntakeForm(user=request.user, initial={"received_on": clock.today()})
        return render_page(request, self.template_name, self.get_context_data(form=form))

    def post(self, request):
        return self.submit(IntakeForm(request.POST, user=request.user))

    def perform(self, form):
        d = form.cleaned_data
        return services.petition_register(
            actor=self.request.user, division=d["division"], channel=d["channel"], category=d["category"],
            subject=d["subject"], lodged_at=d["lodged_at"], received_on=d["received_on"], summary=d["summary"],
            content=d["content"], petitioner_name=d["petitioner_name"], petitioner_phone=d["petitioner_phone"],
            person_times=d["person_times"], representatives=d["representatives"], accused=d["accused"])

    def success_url(self, result):
        return reverse("petitions:detail", args=[result.pk])

    def success_message(self, result):
        return _("Petition %(number)s registered.") % {"number": result.number}


class PetitionView(LoginRequiredMixin, ServiceFormMixin, View):
    template_name = "petitions/detail.html"

    def _petition(self, pk):
        _require_viewer(self.request.user)
        return read(selectors.petition_get_for_user, self.request.user, pk)

    def get_context_data(self, **kwargs):
        user, petition = self.request.user, self.petition
        identity = None
        if policies.may_see_identity(user, petition):
            identity = services.petitioner_identity_read(actor=user, petition=petition)
        allowed = services.WORKFLOW.allowed_actions(petition) if policies.may_handle(user, petition) else []
        actions = [(a, Action(a).label) for a in allowed]
        return {"section": SECTION, "petition": petition, "identity": identity,
                "shown_name": _shown_name(user, petition),
                "content": petition.content if identity is not None or not petition.confidential else CONFIDENTIAL,
                "timeline": selectors.petition_timeline(petition), "actions": actions,
                "form": kwargs.get("form") or ActionForm()}

    def get(self, request, pk):
        self.petition = self._petition(pk)
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request, pk):
        self.petition = self._petition(pk)
        return self.submit(ActionForm(request.POST))

    def perform(self, form):
        d = form.cleaned_data
        return services.transition(
            actor=self.request.user, petition=self.petition, action=d["action"], reason=d["reason"],
            days=d["days"] or 0, approver=d["approver"], outcome=d["outcome"],
            texts={"request": d["request_text"], "facts": d["facts"], "reasons": d["reasons"], "basis": d["basis"]})

    def success_url(self, result):
        return reverse("petitions:detail", args=[result.pk])


@login_required
def backlog_board(request):
    user = request.user
    _require_viewer(user)
    year = year_param(request)
    cases = selectors.backlog_list_visible_to(user).filter(year=year).order_by("-major", "closed_on", "id")
    page = paginate(request, cases)
    return render_page(request, "petitions/backlog.html", {"section": SECTION, "page_obj": page, "year": year})


@login_required
def statistics(request):
    user = request.user
    _require_viewer(user)
    form = StatsForm(request.GET or None)
    stats, error = None, ""
    if form.is_valid():
        division = division_for_within(form.cleaned_data["within"])
        if division is None:
            error = _("No division %(code)s.") % {"code": form.cleaned_data["within"]}
        elif not selectors.may_see_statistics_of(user, division):
            raise PermissionDenied
        else:
            try:
                stats = selectors.petition_statistics(year=form.cleaned_data["year"], within=division)
            except DomainError as exc:
                error = exc.message
    peak = max(stats["by_month"].values(), default=0) if stats else 0
    months = [(m, n, round(100 * n / peak) if peak else 0) for m, n in stats["by_month"].items()] if stats else []
    rate = stats["backlog"]["resolution_rate"] if stats else None
    return render_page(request, "petitions/stats.html", {
        "section": SECTION, "form": form, "stats": stats, "error": error, "months": months,
        "rate_percent": rate * 100 if rate is not None else None,
        "standard_percent": stats["backlog"]["standard"] * 100 if stats else None})


@login_required
def document(request, pk: int, kind: str):
    """The acceptance notice or the reply as a PDF, for those who may see the petitioner; audited."""
    _require_viewer(request.user)
    petition = read(selectors.petition_get_for_user, request.user, pk)
    try:
        result = documents.petition_pdf(actor=request.user, petition=petition, kind=kind)
    except NotFound as exc:
        raise_for_read(exc)
    except DomainError as exc:
        if exc.http_status == 403:
            raise PermissionDenied from exc
        return render_page(request, "core/partials/error.html", {"errors": [exc.message]}, status=exc.http_status)
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = content_disposition(result.filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def monthly_table(request):
    """The monthly table of petitions by township (.xlsx) for a year and a subtree one may see."""
    user = request.user
    _require_viewer(user)
    form = StatsForm(request.GET)
    if not form.is_valid():
        return render_page(request, "core/partials/error.html",
                           {"errors": [e for errors in form.errors.values() for e in errors]}, status=400)
    division = division_for_within(form.cleaned_data["within"])
    if division is None:
        raise_for_read(NotFound(_("No division %(code)s.") % {"code": form.cleaned_data["within"]}))
    if not selectors.may_see_statistics_of(user, division):
        raise PermissionDenied
    year = form.cleaned_data["year"]
    rows = documents.monthly_rows(year=year, within=division)
    return template_response(rows, stem=f"{division.name}-{year}-信访月报", sheet_title=str(year))
