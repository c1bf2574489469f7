"""Dispute pages: the register (登记簿) with filters and the year's figures, one dispute with its parties
(masked), mediators, sessions, outcome and agreement (PDF, confirmation window), and the forms that
record each step. Thin: reads through the dispute selectors (out of scope reads as 404), writes through
the dispute services, whose refusals go on the form."""
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from shuanglian.access.roles import VIEW_ASSIGNED_MATTERS, VIEW_MATTERS
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
from shuanglian.divisions.filtersets import division_for_within
from shuanglian.matters import policies
from shuanglian.matters import services as matter_services
from shuanglian.matters.selectors import matter_get_for_user

from . import agreement as agreement_pdf
from . import filtersets, selectors, services
from .choices import Remedy
from .forms import (
    AgreementForm,
    ConcludeForm,
    ConfirmationForm,
    ConfirmationResultForm,
    MediatorForm,
    MediatorRemoveForm,
    PartyForm,
    RegisterForm,
    ScreenForm,
    SessionForm,
)
from .models import Dispute, MediationAgreement

SECTION = "disputes"
REMEDY_LABELS = dict(Remedy.choices)


def _require_viewer(user) -> None:
    require_any_capability(user, VIEW_MATTERS, VIEW_ASSIGNED_MATTERS)


# ---------------------------------------------------------------- the register


@login_required
def dispute_list(request):
    """The dispute register: one count, one page query and one for the page's parties, whatever its size."""
    user = request.user
    _require_viewer(user)
    form = RegisterForm(request.GET, user=user)
    filterset = filtersets.DisputeFilterSet(request.GET, queryset=selectors.dispute_list_visible_to(user),
                                          request=request)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = paginate(request, rows.prefetch_related("parties"))
    today = clock.today()
    for dispute in page.object_list:
        dispute.window = selectors.confirmation_window(_agreement(dispute), today=today)
        dispute.party_names = [p.name for p in dispute.parties.all()]
    year = year_param(request)
    code = (request.GET.get("within") or "").strip()
    within = division_for_within(code) if code else None
    stats = selectors.dispute_stats(user, year, within=within) if within is not None or not code else None
    return render_page(request, "mediation/list.html", {
        "section": SECTION, "form": form, "page_obj": page, "invalid": filterset.errors, "stats": stats,
        "stats_year": year, "stats_percent": stats["success_rate"] * 100 if stats and stats["success_rate"] is not None
        else None,
    })


def _agreement(dispute: Dispute) -> MediationAgreement | None:
    try:
        return dispute.agreement
    except MediationAgreement.DoesNotExist:
        return None


# ---------------------------------------------------------------- forms: shapes only; the services decide


OPERATIONS = {
    "party": (PartyForm, gettext_lazy("Add a party")),
    "mediator": (MediatorForm, gettext_lazy("Add a mediator")),
    "mediator_remove": (MediatorRemoveForm, gettext_lazy("A party refuses a mediator")),
    "session": (SessionForm, gettext_lazy("Record a mediation session")),
    "agreement": (AgreementForm, gettext_lazy("Record the signed agreement")),
    "conclude": (ConcludeForm, gettext_lazy("Conclude the mediation")),
    "confirmation": (ConfirmationForm, gettext_lazy("Record the application for judicial confirmation")),
    "confirmation_result": (ConfirmationResultForm, gettext_lazy("Record the court's decision")),
}


# ---------------------------------------------------------------- one dispute


class DisputeView(LoginRequiredMixin, ServiceFormMixin, View):
    """One dispute. Forms are offered for the steps its state allows, to those who may handle its matter."""

    template_name = "mediation/detail.html"
    form_template_name = "mediation/partials/op_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        _require_viewer(request.user)
        self.dispute = read(selectors.dispute_get_for_user, request.user, kwargs["pk"])
        self.agreement = _agreement(self.dispute)
        self.may_handle = policies.may_handle(request.user, self.dispute.matter)
        return super().dispatch(request, *args, **kwargs)

    def operations(self) -> list[str]:
        """The steps the dispute's state allows now."""
        if not self.may_handle:
            return []
        d, a = self.dispute, self.agreement
        if not d.outcome:
            ops = ["session"]
            if a is None:
                ops = ["party", "mediator", *(["mediator_remove"] if d.mediators.all() else []), "session",
                       "agreement"]
            return [*ops, "conclude"]
        if a is not None and not a.confirmation_applied_on:
            return ["confirmation"]
        if a is not None and not a.confirmation_result:
            return ["confirmation_result"]
        return []

    def make_form(self, op: str, data=None):
        form_class = OPERATIONS[op][0]
        today = clock.today()
        kwargs = {"prefix": op}
        if op == "mediator_remove":
            kwargs["mediators"] = list(self.dispute.mediators.all())
        if data is None:
            kwargs["initial"] = {
                "session": {"held_on": today}, "conclude": {"outcome_on": today},
                "confirmation": {"applied_on": today},
                "agreement": {"facts": self.dispute.facts, "issues": self.dispute.issues, "effective_on": today},
            }.get(op, {})
        return form_class(data, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        d = self.dispute
        bound = getattr(self, "op", None) if form is not None else None
        ops = [{"op": op, "title": OPERATIONS[op][1], "form": form if op == bound else self.make_form(op)}
               for op in self.operations()]
        context = {
            "section": SECTION, "dispute": d, "matter": d.matter, "matter_url": matter_services.matter_url(d.matter),
            "agreement": self.agreement,
            "window": selectors.confirmation_window(self.agreement), "parties": list(d.parties.all()),
            "mediators": list(d.mediators.all()), "sessions": list(d.sessions.all()),
            "remedies": [REMEDY_LABELS.get(r, r) for r in d.remedies_told or []], "operations": ops,
            "may_handle": self.may_handle,
            "party_identities": policies.may_see_party_identities(self.request.user, d.matter),
        }
        if bound:
            context.update({"op": bound, "title": OPERATIONS[bound][1], "form": form})
        return context

    def get(self, request, pk):
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request, pk):
        if not self.may_handle:
            raise PermissionDenied
        op = request.POST.get("op", "")
        if op not in OPERATIONS:
            return HttpResponseBadRequest(_("Unknown operation."))
        self.op = op
        return self.submit(self.make_form(op, request.POST))

    def perform(self, form):
        actor, d, data = self.request.user, self.dispute, dict(form.cleaned_data)
        op = self.op
        if op == "party":
            return services.dispute_party_add(actor=actor, dispute=d, **data)
        if op == "mediator":
            me = data.pop("me")
            return services.mediator_add(actor=actor, dispute=d, user=actor if me else None, **data)
        if op == "mediator_remove":
            mediator = next((m for m in d.mediators.all() if m.pk == data["mediator"]), None)
            if mediator is None:
                raise NotFound(_("No such mediator on this dispute."))
            return services.mediator_remove(actor=actor, mediator=mediator, reason=data["reason"])
        if op == "session":
            return services.mediation_session_add(actor=actor, dispute=d, **data)
        if op == "agreement":
            return services.agreement_create(actor=actor, dispute=d, **data)
        if op == "conclude":
            return services.dispute_conclude(actor=actor, dispute=d, **data)
        if op == "confirmation":
            return services.agreement_confirmation_applied(actor=actor, agreement=self._agreement(), **data)
        return services.agreement_confirmation_decided(actor=actor, agreement=self._agreement(), **data)

    def _agreement(self):
        if self.agreement is None:
            raise NotFound(_("This dispute has no mediation agreement."))
        return self.agreement

    def success_url(self, result) -> str:
        return reverse("mediation:dispute-detail", kwargs={"pk": self.dispute.pk})

    def success_message(self, result) -> str:
        return _("Saved: %(what)s.") % {"what": OPERATIONS[self.op][1]}


class ScreenView(LoginRequiredMixin, ServiceFormMixin, View):
    """Open the dispute record of a dispute matter (排查). A matter already screened goes to its dispute."""

    template_name = "mediation/screen.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        _require_viewer(request.user)
        self.matter = read(matter_get_for_user, request.user, kwargs["matter"])
        existing = Dispute.objects.filter(matter_id=self.matter.pk).values_list("pk", flat=True).first()
        if existing:
            return redirect("mediation:dispute-detail", pk=existing)
        if not policies.may_handle(request.user, self.matter):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        return {"section": SECTION, "matter": self.matter,
                "form": form or ScreenForm(initial={"screened_on": clock.today(), "facts": self.matter.description})}

    def get(self, request, matter):
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request, matter):
        return self.submit(ScreenForm(request.POST))

    def perform(self, form):
        return services.dispute_screen(actor=self.request.user, matter=self.matter, **form.cleaned_data)

    def success_url(self, result) -> str:
        return reverse("mediation:dispute-detail", kwargs={"pk": result.pk})

    def success_message(self, result) -> str:
        return _("Dispute %(number)s screened.") % {"number": self.matter.number}


@login_required
def agreement_download(request, pk: int):
    """The agreement as a PDF (masked); audited by the service."""
    _require_viewer(request.user)
    dispute = read(selectors.dispute_get_for_user, request.user, pk)
    try:
        result = agreement_pdf.agreement_pdf(actor=request.user, dispute=dispute)
    except NotFound as exc:
        raise_for_read(exc)
    except DomainError as exc:  # no font, no Pango: the operator has to act
        return render_page(request, "core/partials/error.html", {"errors": [exc.message]}, status=exc.http_status)
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = content_disposition(result.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
