"""Village-affairs pages, phone-first: the overview (figures per township or village, the villages that lag),
meetings (recorded with the quorum shown live as the counts are entered), major matters with their step
timeline, the village's disclosure board (printable), and its public read-only page. Thin: reads through the
selectors, writes through the services, whose refusals go on the form."""
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views import View

from shuanglian.core import clock
from shuanglian.core.exceptions import PermissionDenied
from shuanglian.core.htmx import ServiceFormMixin, paginate, render_page, year_param
from shuanglian.divisions.selectors import division_get_for_user

from . import filtersets, policies, rules, selectors, services
from .choices import PENDING_SUFFIX, MeetingKind
from .forms import DecisionForm, DisclosureForm, MeetingForm, StepForm

SECTION = "village_affairs"


@login_required
def overview(request):
    policies.require_view(request.user)
    year = year_param(request)
    code = (request.GET.get("within") or "").strip()
    within = division_get_for_user(request.user, code) if code else None
    return render_page(request, "village_affairs/overview.html", {
        "section": SECTION, "year": year, "within": within,
        "stats": selectors.village_affairs_stats(user=request.user, year=year, within=within),
        "areas": selectors.stats_by_area(user=request.user, year=year, within=within),
        "lagging": selectors.lagging_villages(user=request.user, year=year, within=within)})


@login_required
def meeting_list(request):
    policies.require_view(request.user)
    filterset = filtersets.MeetingFilterSet(request.GET, queryset=selectors.meeting_list_visible_to(request.user),
                                            request=request)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return render_page(request, "village_affairs/meetings.html", {
        "section": SECTION, "page_obj": paginate(request, rows), "filter": filterset,
        "may_record": policies.may_record_anywhere(request.user)})


@login_required
def meeting_detail(request, pk):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    return render_page(request, "village_affairs/meeting.html", {"section": SECTION, "meeting": meeting})


def _int(value):
    raw = (value or "").strip()
    return int(raw) if raw.isdigit() else None


@login_required
def meeting_quorum(request):
    """The quorum as the counts are typed in (htmx): "32 of 45 present: quorum needs 30 — reached"."""
    if not policies.may_record_anywhere(request.user):
        raise PermissionDenied(_("You may not record village meetings."))
    kind = request.GET.get("kind") or MeetingKind.REPRESENTATIVES
    present, eligible = _int(request.GET.get("present")), _int(request.GET.get("eligible"))
    if kind not in MeetingKind.values or present is None or not eligible:
        return HttpResponse(escape(_("Enter who may attend and who is present.")))
    q = rules.quorum(kind, present=present, eligible=eligible)
    return HttpResponse(f'<span class="{"ok" if q.reached else "error"}">{escape(q.text())}</span>')


class MeetingCreateView(LoginRequiredMixin, ServiceFormMixin, View):
    template_name = "village_affairs/meeting_form.html"

    def _form(self, data=None):
        if not policies.may_record_anywhere(self.request.user):
            raise PermissionDenied(_("You may not record village meetings."))
        return MeetingForm(data, villages=selectors.recordable_villages(self.request.user))

    def get_context_data(self, **kwargs):
        return {"section": SECTION, **kwargs}

    def get(self, request):
        return render_page(request, self.template_name, self.get_context_data(form=self._form()))

    def post(self, request):
        return self.submit(self._form(request.POST))

    def perform(self, form):
        data = dict(form.cleaned_data)
        motion = data.pop("motion")
        votes = [data.pop(k) or 0 for k in ("votes_for", "votes_against", "abstaining")]
        motions = [services.MotionInput(motion, *votes)] if motion else []
        return services.meeting_record(actor=self.request.user, village=data.pop("village"), motions=motions,
                                       households_present=data.pop("households_present") or 0, **data)

    def success_url(self, result):
        return reverse("village_affairs:meeting-detail", args=[result.pk])


@login_required
def decision_list(request):
    policies.require_view(request.user)
    filterset = filtersets.DecisionFilterSet(request.GET, queryset=selectors.decision_list_visible_to(request.user),
                                             request=request)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return render_page(request, "village_affairs/decisions.html", {
        "section": SECTION, "page_obj": paginate(request, rows), "filter": filterset})


class DecisionCreateView(LoginRequiredMixin, ServiceFormMixin, View):
    template_name = "village_affairs/decision_form.html"

    def _form(self, data=None):
        if not policies.may_record_anywhere(self.request.user):
            raise PermissionDenied(_("You may not propose village matters."))
        return DecisionForm(data, villages=selectors.recordable_villages(self.request.user))

    def get_context_data(self, **kwargs):
        return {"section": SECTION, **kwargs}

    def get(self, request):
        return render_page(request, self.template_name, self.get_context_data(form=self._form()))

    def post(self, request):
        return self.submit(self._form(request.POST))

    def perform(self, form):
        return services.decision_propose(actor=self.request.user, **form.cleaned_data)

    def success_url(self, result):
        return reverse("village_affairs:decision-detail", args=[result.pk])


def _steps_view(decision) -> list[dict]:
    done = services.done_count(decision)
    pending = decision.status.endswith(PENDING_SUFFIX)
    return [{**spec, "state": "done" if i < done else ("pending" if pending and i == done else
                                                       ("next" if i == done else "todo"))}
            for i, spec in enumerate(decision.steps)]


class DecisionView(LoginRequiredMixin, ServiceFormMixin, View):
    """A matter with its steps as a timeline and the form for the next step (or the township's review)."""

    template_name = "village_affairs/decision.html"

    def get_context_data(self, **kwargs):
        decision = self.decision
        steps = _steps_view(decision)
        nxt = next((s for s in steps if s["state"] in ("next", "pending")), None)
        return {"section": SECTION, "decision": decision, "steps": steps, "next": nxt,
                "timeline": decision.timeline.select_related("meeting").all(),
                "links": decision.links.select_related("matter").all(),
                "may_record": policies.may_record(self.request.user, decision.village),
                "may_review": policies.may_review(self.request.user, decision.village),
                "form": kwargs.get("form") or StepForm(initial={"action": nxt["code"] if nxt else ""})}

    def get(self, request, pk):
        self.decision = selectors.decision_get_for_user(request.user, pk)
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request, pk):
        self.decision = selectors.decision_get_for_user(request.user, pk)
        return self.submit(StepForm(request.POST))

    def perform(self, form):
        data = dict(form.cleaned_data)
        user = self.request.user
        meeting = selectors.meeting_for_input(user, data["meeting"]) if data.get("meeting") else None
        motion = selectors.motion_for_input(meeting, data["motion"]) if meeting and data.get("motion") else None
        return services.decision_step(actor=user, decision=self.decision, action=data["action"],
                                      reason=data["reason"], meeting=meeting, motion=motion, text=data["text"],
                                      place=data["place"], on=data["on"], result=data["result"])

    def success_url(self, result):
        return reverse("village_affairs:decision-detail", args=[result.pk])


class BoardView(LoginRequiredMixin, ServiceFormMixin, View):
    """A village's disclosure board (printable), with the periods due and the form to post an item."""

    template_name = "village_affairs/board.html"

    def get_context_data(self, **kwargs):
        village = self.village
        return {"section": SECTION, "village": village, "items": selectors.public_disclosures(village=village),
                "due": village_due(village), "may_record": policies.may_record(self.request.user, village),
                "form": kwargs.get("form") or DisclosureForm(initial={"posted_on": clock.today()}),
                "public_url": reverse("village_affairs:public-board", args=[village.code])}

    def get(self, request, code):
        self.village = selectors.village_get_for_user(request.user, code)
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request, code):
        self.village = selectors.village_get_for_user(request.user, code)
        return self.submit(DisclosureForm(request.POST))

    def perform(self, form):
        return services.disclosure_post(actor=self.request.user, village=self.village, **form.cleaned_data)

    def success_url(self, result):
        return reverse("village_affairs:board", args=[self.village.code])


def village_due(village):
    return selectors.disclosure_due(village=village)


def public_board(request, code):
    """What a village disclosed, readable by anyone: the items only, no personal information."""
    village = selectors.public_village(code)
    return render_page(request, "village_affairs/public_board.html", {
        "village": village, "items": selectors.public_disclosures(village=village)[:200],
    })
