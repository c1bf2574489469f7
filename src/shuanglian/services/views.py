"""Public pages: the service guide (办事指南), printable as the booklet handed to households, and the status
lookup. No login; the same selectors and lookup as the API."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from shuanglian.accounts.roles import HANDLE_APPLICATIONS
from shuanglian.core.exceptions import DomainError
from shuanglian.core.htmx import ServiceFormMixin, render_page
from shuanglian.core.permissions import scope_for

from . import policies, public, selectors, services
from .choices import OPEN_STATUSES, PointKind, Status
from .forms import AcceptForm
from .models import ServicePoint, StaffPosting


def guide(request):
    q = (request.GET.get("q") or "").strip()[:50]
    items = list(selectors.service_item_list(search=q))
    points = (selectors.service_point_list(kind=PointKind.CENTER).prefetch_related(None)
              .prefetch_related(Prefetch("staff", queryset=StaffPosting.objects.filter(is_active=True)),
                                Prefetch("agent_points", queryset=selectors.service_point_list(
                                    kind=PointKind.AGENT_POINT).prefetch_related(None))))
    return render(request, "services/guide.html", {"q": q, "items": items, "centers": list(points)})


def status_lookup(request):
    """A POST form, so the digits stay out of addresses, history and server logs."""
    data = request.POST if request.method == "POST" else {}
    context = {"receipt": (data.get("receipt") or "").strip()[:20],
               "phone_last4": (data.get("phone_last4") or "").strip()[:4]}
    code = 200
    if request.method == "POST":
        try:
            answer = public.lookup(receipt_no=context["receipt"], phone_last4=context["phone_last4"],
                                   client=request.META.get("REMOTE_ADDR", ""))
            context["answer"] = {**answer, "status_label": Status(answer["status"]).label}
        except (DomainError, ValidationError) as exc:
            context["error"] = getattr(exc, "message", str(exc))
            code = getattr(exc, "http_status", 400)
    return render(request, "services/status.html", context, status=code)


# ---------------------------------------------------------------- the counter screen (staff)


def _counter_points(user):
    """The points where the user accepts applications: their postings and their organizations' points."""
    orgs = scope_for(user, HANDLE_APPLICATIONS).organization_ids
    q = Q(pk__in=sorted(policies.posted_point_ids(user)))
    if orgs:
        q |= Q(organization_id__in=sorted(orgs))
    return ServicePoint.objects.filter(q, is_active=True).order_by("division__code_key", "kind")


class CounterView(LoginRequiredMixin, ServiceFormMixin, View):
    """Accept in a few steps at one point, then print the receipt; below, the point's open applications."""

    template_name = "services/counter.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        points = list(_counter_points(request.user))
        if not points:
            raise PermissionDenied
        if "point" not in kwargs:
            return redirect("services:counter-point", points[0].pk)
        self.point = next((p for p in points if p.pk == kwargs["point"]), None)
        if self.point is None:
            raise Http404
        self.points = points
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        return AcceptForm(data, items=selectors.service_item_list(point=self.point))

    def get_context_data(self, **kwargs):
        queue = (selectors.application_list_visible_to(self.request.user)
                 .filter(Q(point=self.point) | Q(center=self.point), status__in=OPEN_STATUSES)
                 .order_by("promised_date", "id")[:100])
        return {"point": self.point, "points": self.points, "queue": list(queue), **kwargs}

    def get(self, request, point):
        return render_page(request, self.template_name, self.get_context_data(form=self.form()))

    def post(self, request, point):
        return self.submit(self.form(request.POST))

    def perform(self, form):
        d = form.cleaned_data
        return services.application_accept(actor=self.request.user, item=d["item"], point=self.point,
                                           applicant_name=d["applicant_name"], applicant_phone=d["applicant_phone"])

    def success_url(self, result) -> str:
        return reverse("services:receipt", args=[result.pk])


def receipt(request, pk):
    """The printable receipt: number, item, promised date, materials, where to ask, how to look it up."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    try:
        app = selectors.application_get_for_user(request.user, pk)
    except DomainError:
        raise Http404 from None
    return render(request, "services/receipt.html", {"app": app})
