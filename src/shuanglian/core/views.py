"""The landing redirect and the audit log pages."""
import json

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect

from shuanglian.access.roles import VIEW_AUDIT

from .filtersets import AuditEventFilterSet
from .htmx import paginate, render_page, require_any_capability
from .selectors import audit_list_visible_to


@login_required
def home(request):
    return redirect("divisions:browse")


@login_required
def audit_list(request):
    require_any_capability(request.user, VIEW_AUDIT)
    filterset = AuditEventFilterSet(request.GET, queryset=audit_list_visible_to(request.user))
    events = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return render_page(request, "core/audit_list.html", {
        "section": "audit", "filterset": filterset, "page_obj": paginate(request, events),
    })


@login_required
def audit_detail(request, seq: int):
    require_any_capability(request.user, VIEW_AUDIT)
    event = audit_list_visible_to(request.user).filter(seq=seq).first()
    if event is None:
        raise Http404
    def pretty(value):
        return "" if value is None else json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)

    return render_page(request, "core/audit_detail.html", {
        "section": "audit", "event": event, "before": pretty(event.before), "after": pretty(event.after),
    })
