"""Pages of the full-process service. Public: the service guide (办事指南), printable as the booklet handed
to households, and the status lookup. Staff: the counter and its receipt, the queue per point, one
application with a form per step, the supervision page and the county office's item editor. Thin: reads
through the scoped selectors (out of scope reads as 404), writes through the same services as the API."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from shuanglian.core import clock
from shuanglian.core.exceptions import DomainError, NotFound
from shuanglian.core.htmx import ServiceFormMixin, paginate, raise_for_read, render_page
from shuanglian.core.http import client_ip
from shuanglian.divisions.selectors import division_get_for_user
from shuanglian.organizations.choices import OrganizationKind
from shuanglian.organizations.models import Organization

from . import policies, public, selectors, services
from .choices import OPEN_STATUSES, Action, PointKind, Status
from .filtersets import ApplicationFilterSet
from .forms import (
    AcceptForm,
    ApplicationActionForm,
    ComplaintForm,
    ComplaintResolveForm,
    MonthForm,
    QueueFilterForm,
    ServiceItemForm,
)
from .models import ServiceItem, StaffPosting

SECTION = "services"
FORWARD_STEPS = (Action.FORWARD, Action.HANDLE, Action.MATERIALS_RECEIVED, Action.REPLY)


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
                                   client=client_ip(request))
            context["answer"] = {**answer, "status_label": Status(answer["status"]).label}
        except (DomainError, ValidationError) as exc:
            context["error"] = getattr(exc, "message", str(exc))
            code = getattr(exc, "http_status", 400)
    return render(request, "services/status.html", context, status=code)


# ---------------------------------------------------------------- the counter screen (staff)


class CounterView(LoginRequiredMixin, ServiceFormMixin, View):
    """Accept in a few steps at one point, then print the receipt; below, the point's open applications."""

    template_name = "services/counter.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        points = list(selectors.counter_points(request.user))
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
        kwargs.update(subnav(self.request.user, "counter"))
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


# ---------------------------------------------------------------- staff pages: shared


def subnav(user, page: str) -> dict:
    return {"section": SECTION, "page": page,
            "may_accept": selectors.may_use_counter(user),
            "may_view": policies.may_view_any(user),
            "may_manage_catalog": policies.may_manage_catalog(user)}


def _require_viewer(user) -> None:
    if not policies.may_view_any(user):
        raise PermissionDenied


def application_url(app) -> str:
    return reverse("services:application", args=[app.pk])


# ---------------------------------------------------------------- the queue


@login_required
def queue(request):
    """A point's applications (those it accepted or handles as the center), filtered by status, deadline and
    receipt number; open ones by default, soonest promised first. One count and one page query."""
    user = request.user
    _require_viewer(user)
    points = list(selectors.queue_points(user))
    data = request.GET.copy()
    if "at_point" not in data:  # a first visit: the user's own counter, if any
        own = selectors.counter_points(user).values_list("pk", flat=True).first()
        data["at_point"] = str(own) if own else ""
    if "status" not in data:
        data["status"] = "open"
    form = QueueFilterForm(data, points=points)
    query = data.copy()
    for key in [k for k, values in query.lists() if not any(values)]:
        del query[key]  # an empty box means any
    if query.get("status") == "open":
        query.setlist("status", list(OPEN_STATUSES))
    if query.get("at_point") and not any(str(p.pk) == query["at_point"] for p in points):
        raise Http404  # not a point the user may open
    filterset = ApplicationFilterSet(query, queryset=selectors.application_list_visible_to(user), request=request)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = paginate(request, rows.order_by("promised_date", "id"))
    today = clock.today()
    near = selectors.near_due_until(today)
    for app in page.object_list:
        app.deadline_state = selectors.deadline_state(app, today=today, near=near)
    return render_page(request, "services/queue.html", {
        **subnav(user, "queue"), "form": form, "page_obj": page, "invalid": filterset.errors})


# ---------------------------------------------------------------- one application


class ApplicationView(LoginRequiredMixin, ServiceFormMixin, View):
    """One application: its facts, timeline and complaints, and a form per step the viewer may take now.
    Every form posts here with `action`; the service decides (an illegal step shows its message)."""

    template_name = "services/application.html"
    form_template_name = "services/partials/action_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        _require_viewer(request.user)
        try:
            self.app = selectors.application_detail_for_user(request.user, kwargs["pk"])
        except NotFound as exc:
            raise_for_read(exc)
        self.action = None
        return super().dispatch(request, *args, **kwargs)

    def action_form(self, action: str, data=None) -> ApplicationActionForm:
        kwargs = {}
        if action == Action.HANDLE:
            kwargs["departments"] = list(Organization.objects.filter(
                kind=OrganizationKind.DEPARTMENT, is_active=True).order_by("name").values_list("pk", "name"))
            kwargs["handlers"] = selectors.handler_choices(self.app)
        return ApplicationActionForm(data, action=action, app=self.app, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        user, app = self.request.user, self.app
        may_act = policies.may_act(user, app)
        allowed = [str(a) for a in services.allowed_actions(app)] if may_act else []
        allowed.sort(key=lambda a: a not in FORWARD_STEPS)  # the step that moves it on comes first, open
        bound = self.action if form is not None else None
        action_forms = [form if a == bound else self.action_form(a) for a in allowed]
        # A form posted for a step no longer allowed (someone moved the application) shows with its message.
        stale = form if bound in services.TRANSITIONS and bound not in allowed else None
        timeline = list(app.transitions.all())
        for t in timeline:
            t.action_label = Action(t.action).label if t.action in Action.values else t.action
            t.from_label = Status(t.from_status).label if t.from_status in Status.values else ""
            t.to_label = Status(t.to_status).label if t.to_status in Status.values else t.to_status
        today = clock.today()
        complaints = list(app.complaints.all())
        for c in complaints:  # those who may act on the application resolve its complaints
            if bound == "resolve_complaint" and form.complaint_id == c.pk:
                c.form = form  # with its message, even if someone resolved it meanwhile
            elif c.resolved_at is None and may_act:
                c.form = ComplaintResolveForm(complaint_id=c.pk)
        return {**subnav(user, "queue"), "app": app, "timeline": timeline, "complaints": complaints,
                "deadline_state": selectors.deadline_state(app, today=today, near=selectors.near_due_until(today)),
                "action_forms": action_forms, "stale_form": stale,
                "complaint_form": form if bound == "complaint" else ComplaintForm(), "form": form}

    def get(self, request, pk):
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request, pk):
        action = request.POST.get("action", "")
        if action == "complaint":
            form = ComplaintForm(request.POST)
        elif action == "resolve_complaint":
            complaint = next((c for c in self.app.complaints.all()
                              if str(c.pk) == request.POST.get("complaint", "")), None)
            if complaint is None:
                raise Http404
            form = ComplaintResolveForm(request.POST, complaint_id=complaint.pk)
        elif action in services.TRANSITIONS and action != Action.ACCEPT:
            form = self.action_form(action, request.POST)
        else:
            return HttpResponseBadRequest(_("Unknown operation."))
        self.action = action
        return self.submit(form)

    def perform(self, form):
        actor, data = self.request.user, form.cleaned_data
        if self.action == "complaint":
            return services.complaint_record(actor=actor, application=self.app, text=data["text"])
        if self.action == "resolve_complaint":
            complaint = next(c for c in self.app.complaints.all() if c.pk == form.complaint_id)
            return services.complaint_resolve(actor=actor, complaint=complaint, resolution=data["resolution"])
        department, handler = selectors.handle_targets(department=int(data.get("department") or 0) or None,
                                                       handler=int(data.get("handler") or 0) or None)
        return services.transition(
            actor=actor, application=self.app, action=self.action, reason=data.get("reason", ""),
            missing=form.missing() if self.action == Action.REQUEST_MATERIALS else (),
            result=data.get("result", ""), notified_by=data.get("notified_by", ""),
            satisfaction=data.get("satisfaction", ""), department=department, handler=handler)

    def success_url(self, result) -> str:
        return application_url(self.app)

    def success_message(self, result) -> str:
        if self.action == "complaint":
            return _("Complaint recorded.")
        if self.action == "resolve_complaint":
            return _("Complaint resolved.")
        return _("Application %(receipt)s: %(status)s.") % {"receipt": result.receipt_no,
                                                             "status": result.get_status_display()}


# ---------------------------------------------------------------- supervision


@login_required
def supervision(request):
    """Overdue and near-due per point, department or staff; a month's on-time rate and average duration per
    point; complaints still open."""
    user = request.user
    _require_viewer(user)
    by = request.GET.get("by", "point")
    if by not in ("point", "department", "staff"):
        by = "point"
    form = MonthForm(request.GET if request.GET.get("month") else None, initial={"month": clock.today().replace(day=1)})
    month = (form.cleaned_data.get("month") if form.is_bound and form.is_valid() else None) or form.initial["month"]
    within = None
    if code := (request.GET.get("within") or "").strip():
        try:
            within = division_get_for_user(user, code)
        except NotFound as exc:
            raise_for_read(exc)
    rows = selectors.supervision_board(user, by=by, within=within)
    if by == "point":
        queue_url = reverse("services:queue")
        for r in rows:
            r["overdue_url"] = f"{queue_url}?at_point={r['id']}&deadline=overdue"
            r["near_due_url"] = f"{queue_url}?at_point={r['id']}&deadline=near_due"
    return render_page(request, "services/supervision.html", {
        **subnav(user, "supervision"), "by": by, "rows": rows, "form": form, "month": month, "within": within,
        "divisions": selectors.supervision_divisions(user),
        "monthly": selectors.monthly_performance(user, year=month.year, month=month.month, within=within),
        "complaints": list(selectors.complaint_list_open(user)[:100]),
        "totals": {"overdue": sum(r["overdue"] for r in rows), "near_due": sum(r["near_due"] for r in rows)}})


# ---------------------------------------------------------------- the item editor (county office)


def _require_catalog(user) -> None:
    if not policies.may_manage_catalog(user):
        raise PermissionDenied


@login_required
def item_list(request):
    """Every service item, offered or not, with its limits; two queries."""
    _require_catalog(request.user)
    items = ServiceItem.objects.select_related("department").order_by("code")
    return render_page(request, "services/items.html", {**subnav(request.user, "items"), "items": list(items)})


class ItemEditView(LoginRequiredMixin, ServiceFormMixin, View):
    """Create or change a service item through service_item_create/update, which enforce promised <= legal."""

    template_name = "services/item_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        _require_catalog(request.user)
        self.item = None
        if "pk" in kwargs:
            self.item = ServiceItem.objects.filter(pk=kwargs["pk"]).first()
            if self.item is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        return {**subnav(self.request.user, "items"), "item": self.item, "form": form}

    def get(self, request, **kwargs):
        return render_page(request, self.template_name, self.get_context_data(form=ServiceItemForm(item=self.item)))

    def post(self, request, **kwargs):
        return self.submit(ServiceItemForm(request.POST, item=self.item))

    def perform(self, form):
        data = form.changes()
        code, active = data.pop("code"), data.pop("is_active")
        with transaction.atomic():
            if self.item is not None:
                return services.service_item_update(actor=self.request.user, item=self.item, is_active=active,
                                                    **data)
            item = services.service_item_create(actor=self.request.user, code=code, **data)
            if not active:
                item = services.service_item_update(actor=self.request.user, item=item, is_active=False)
            return item

    def success_url(self, result) -> str:
        return reverse("services:items")

    def success_message(self, result) -> str:
        return _("Service item %(code)s saved.") % {"code": result.code}
