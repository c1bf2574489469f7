"""Public pages: the service guide (办事指南), printable as the booklet handed to households, and the status
lookup. No login; the same selectors and lookup as the API."""
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import render

from shuanglian.core.exceptions import DomainError

from . import public, selectors
from .choices import PointKind, Status
from .models import StaffPosting


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
