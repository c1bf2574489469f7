"""The inbox page: the user's own notifications, unread first; open one (it is marked read and its page
opens), mark one or all read. Every read is the user's own (selectors.notification_list_visible_to)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from shuanglian.core.htmx import paginate, redirect_after_post, render_page

from . import selectors, services

SECTION = "inbox"


def _own(user, pk: int):
    found = selectors.notification_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
def inbox(request):
    user = request.user
    rows = selectors.notification_list_visible_to(user).annotate(
        unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()))
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    page = paginate(request, rows.order_by("-unread", "-created_at", "-id"))
    return render_page(request, "notifications/inbox.html", {
        "section": SECTION, "page_obj": page, "unread_only": unread_only,
    })


@login_required
def open_notification(request, pk: int):
    """Mark it read and go where it points (a page of this site only)."""
    user = request.user
    notification = _own(user, pk)
    if notification.read_at is None:
        services.notification_mark_read(actor=user, ids=[notification.pk])
    url = notification.url
    if not url or not url.startswith("/") or not url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        url = reverse("notifications:inbox")
    return HttpResponseRedirect(url)


@login_required
@require_POST
def mark_read(request, pk: int):
    services.notification_mark_read(actor=request.user, ids=[_own(request.user, pk).pk])
    return redirect_after_post(request, _back(request))


@login_required
@require_POST
def mark_all_read(request):
    marked = services.notification_mark_read(actor=request.user)
    if marked:
        messages.success(request, ngettext("%(n)d notification marked read.", "%(n)d notifications marked read.",
                                           marked) % {"n": marked})
    else:
        messages.info(request, _("Nothing was unread."))
    return redirect_after_post(request, _back(request))


def _back(request) -> str:
    url = reverse("notifications:inbox")
    return f"{url}?unread=1" if request.POST.get("unread") == "1" else url
