"""Matter pages: the form (一事一表) with photos, the list, one matter with its timeline and the actions
the viewer may take, the supervision board, and the county office's settings. Thin: reads go through
the scoped selectors (out of scope reads as 404), writes through the same services as the API."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from shuanglian.access.roles import (
    REPORT_MATTERS,
    SUPERVISE_MATTERS,
    VIEW_ASSIGNED_MATTERS,
    VIEW_MATTERS,
)
from shuanglian.accounts.models import User
from shuanglian.archives import policies as archive_policies
from shuanglian.archives.selectors import household_list_visible_to
from shuanglian.core.exceptions import ValidationFailed
from shuanglian.core.htmx import (
    ServiceFormMixin,
    paginate,
    read,
    render_page,
    require_any_capability,
)
from shuanglian.divisions.selectors import division_get_for_user
from shuanglian.organizations.choices import OrganizationKind
from shuanglian.organizations.models import Organization

from . import attachments, policies, selectors, services
from .choices import Action, Level, Status
from .filtersets import MatterFilterSet
from .forms import ActionForm, AttachForm, CategoryPickForm, MatterFilterForm, MatterForm, SuperviseForm

SECTION = "matters"
VIEWERS = (VIEW_MATTERS, VIEW_ASSIGNED_MATTERS)
# The statuses the supervision board counts (open, not suspended): its links show the same matters.
BOARD_STATUSES = [s for s in Status.values if s not in (Status.CLOSED, Status.SUSPENDED)]



def subnav(user) -> dict:
    return {
        "section": SECTION,
        "may_report": policies.may_report_somewhere(user),
        "may_supervise": policies.may_supervise_somewhere(user),
        "may_configure": policies.may_configure_somewhere(user),
    }


# ---------------------------------------------------------------- the list


def _filter_data(params):
    """The page's boxes in MatterFilterSet's terms: "open" is a status choice here, a checkbox says "on"."""
    data = params.copy()
    if data.get("status") == "open":
        data.pop("status")
        data["open"] = "true"
    if data.get("held_by_me") == "on":
        data["held_by_me"] = "true"
    return data


@login_required
def matter_list(request):
    """Matters the user may see, filtered by MatterFilterSet; one count and one page query."""
    user = request.user
    require_any_capability(user, *VIEWERS)
    form = MatterFilterForm(request.GET, user=user)
    filterset = MatterFilterSet(_filter_data(request.GET), queryset=selectors.matter_list_visible_to(user),
                                request=request)
    matters = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = paginate(request, matters)
    for matter in page.object_list:
        matter.holder_label = services.holder_label(matter)
    return render_page(request, "matters/list.html", {
        **subnav(user), "page": "list", "form": form, "page_obj": page, "invalid": filterset.errors,
    })


# ---------------------------------------------------------------- recording a matter


class MatterCreateView(LoginRequiredMixin, ServiceFormMixin, View):
    """一事一表: record a matter at a grid, with photos taken on the spot."""

    template_name = "matters/form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require_any_capability(request.user, REPORT_MATTERS)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        return {**subnav(self.request.user), "page": "new", "form": form}

    def get(self, request):
        initial = {k: request.GET[k] for k in ("type", "source", "grid") if request.GET.get(k)}
        return render_page(request, self.template_name,
                           self.get_context_data(form=MatterForm(user=request.user, initial=initial)))

    def post(self, request):
        return self.submit(MatterForm(request.POST, request.FILES, user=request.user))

    def perform(self, form):
        user, data = self.request.user, form.cleaned_data
        grid = data["grid"]
        household = None
        if data.get("household"):
            household = household_list_visible_to(user).filter(grid=grid, number=data["household"].strip()).first()
            if household is None:
                raise ValidationFailed(
                    _("There is no household %(number)s in %(grid)s that you may see.")
                    % {"number": data["household"], "grid": grid.name}, details={"household": [data["household"]]})
        saved = []
        try:
            with transaction.atomic():
                matter = services.matter_report(
                    actor=user, grid=grid, type=data["type"], source=data["source"], title=data["title"],
                    description=data["description"], category=data["category"] or None, household=household,
                    raised_by_name=data["raised_by_name"], raised_by_phone=data["raised_by_phone"])
                for upload in data["attachments"]:
                    saved.append(attachments.attachment_add(actor=user, matter=matter, upload=upload))
        except Exception:
            attachments.discard_files(saved)
            raise
        return matter

    def success_url(self, result) -> str:
        return services.matter_url(result)

    def success_message(self, result) -> str:
        return _("Matter %(number)s recorded.") % {"number": result.number}


@login_required
def category_field(request):
    """The category menu for one type (the form swaps it in when the type changes)."""
    require_any_capability(request.user, REPORT_MATTERS)
    form = CategoryPickForm(type_=request.GET.get("type"))
    response = render(request, "matters/partials/category_field.html", {"field": form["category"]})
    patch_vary_headers(response, ("HX-Request",))
    return response


# ---------------------------------------------------------------- one matter

ACTION_DONE = {
    Action.ACCEPT: lambda m: _("Matter %(number)s accepted.") % {"number": m.number},
    Action.ASSIGN: lambda m: _("Matter %(number)s assigned to %(holder)s.") % {
        "number": m.number, "holder": services.holder_label(m)},
    Action.ESCALATE: lambda m: _("Matter %(number)s escalated to %(holder)s.") % {
        "number": m.number, "holder": services.holder_label(m)},
    Action.SEND_BACK: lambda m: _("Matter %(number)s sent back to %(holder)s.") % {
        "number": m.number, "holder": services.holder_label(m)},
    Action.RESOLVE: lambda m: _("Result of matter %(number)s recorded.") % {"number": m.number},
    Action.FOLLOW_UP: lambda m: _("Follow-up visit of matter %(number)s recorded.") % {"number": m.number},
    Action.CLOSE: lambda m: _("Matter %(number)s closed.") % {"number": m.number},
    Action.REOPEN: lambda m: _("Matter %(number)s reopened.") % {"number": m.number},
    Action.SUSPEND: lambda m: _("Matter %(number)s suspended: its clock stops.") % {"number": m.number},
    Action.RESUME: lambda m: _("Matter %(number)s resumed: its clock runs again.") % {"number": m.number},
}


class MatterView(LoginRequiredMixin, ServiceFormMixin, View):
    """One matter: its form, photos, deadline, timeline and supervisions, and a form for each action
    the viewer may take now. Every form posts here with `action`; the service decides."""

    template_name = "matters/detail.html"
    FRAGMENTS = {"supervise": "matters/partials/supervise_form.html",
                 "attach": "matters/partials/attach_form.html"}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user = request.user
        require_any_capability(user, *VIEWERS)
        self.matter = read(selectors.matter_get_for_user, user, kwargs["pk"])
        self.action = None
        return super().dispatch(request, *args, **kwargs)

    # Forms

    def action_form(self, action: str, data=None) -> ActionForm:
        matter = self.matter
        kwargs = {"reason_required": services.TRANSITIONS[action].reason_required}
        if action == Action.ASSIGN:
            kwargs["users"] = selectors.assignable_users(matter)
            kwargs["organizations"] = selectors.serving_organizations(matter)
        if action == Action.ESCALATE and matter.level == Level.COUNTY:
            kwargs["departments"] = selectors.serving_organizations(matter, kind=OrganizationKind.DEPARTMENT)
        return ActionForm(data, action=action, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        user, matter = self.request.user, self.matter
        may_handle = policies.may_handle(user, matter)
        allowed = [str(a) for a in services.allowed_actions(matter)] if may_handle else []
        bound = self.action if form is not None else None
        action_forms = [form if a == bound else self.action_form(a) for a in allowed]
        # A form posted for an action that is no longer allowed (someone else moved the matter) still
        # shows, with its message, above the current ones.
        stale = form if bound in services.TRANSITIONS and bound not in allowed else None
        open_ = matter.status != Status.CLOSED
        may_supervise = open_ and policies.may_supervise(user, matter)
        may_attach = open_ and attachments.may_attach(user, matter)
        phone = None
        if matter.raised_by_phone and archive_policies.may_view_pii(user, matter):
            phone = matter.raised_by_phone.masked
        household_link = matter.household_id and archive_policies.may_view(user, matter.household)
        timeline = list(selectors.matter_timeline(matter))
        return {
            **subnav(user), "matter": matter, "holder": services.holder_label(matter), "phone": phone,
            "household_link": household_link, "persons": list(matter.persons.all()),
            "attachments": list(matter.attachments.all()),
            "timeline": timeline, "supervisions": list(matter.supervisions.select_related("raised_by")),
            "action_forms": action_forms, "stale_form": stale,
            # A posted form shows with its message even where the page would not offer it.
            "supervise_form": form if bound == "supervise" else SuperviseForm() if may_supervise else None,
            "attach_form": form if bound == "attach" else AttachForm() if may_attach else None,
            "form": form,
        }

    def get(self, request, pk):
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request, pk):
        action = request.POST.get("action", "")
        if action == "supervise":
            form = SuperviseForm(request.POST)
        elif action == "attach":
            form = AttachForm(request.POST, request.FILES)
        elif action in services.TRANSITIONS:
            form = self.action_form(action, request.POST)
        else:
            return HttpResponseBadRequest(_("Unknown operation."))
        self.action = action
        self.form_template_name = self.FRAGMENTS.get(action, "matters/partials/action_form.html")
        return self.submit(form)

    def perform(self, form):
        actor, matter, data = self.request.user, self.matter, form.cleaned_data
        if self.action == "supervise":
            return services.matter_supervise(actor=actor, matter=matter, note=data["note"])
        if self.action == "attach":
            saved = []
            try:
                with transaction.atomic():
                    for upload in data["attachments"]:
                        saved.append(attachments.attachment_add(actor=actor, matter=matter, upload=upload))
            except Exception:
                attachments.discard_files(saved)
                raise
            return saved
        user = organization = None
        if data.get("user"):
            user = User.objects.filter(pk=data["user"], is_active=True).first()
        if data.get("organization"):
            organization = Organization.objects.select_related("division").filter(pk=data["organization"]).first()
        return services.matter_act(actor=actor, matter=matter, action=self.action, reason=data.get("reason", ""),
                                   user=user, organization=organization, result=data.get("result", ""),
                                   satisfaction=data.get("satisfaction", ""))

    def success_url(self, result) -> str:
        return services.matter_url(self.matter)

    def success_message(self, result) -> str:
        if self.action == "supervise":
            return _("Supervision ordered; the holders are notified.")
        if self.action == "attach":
            return ngettext("%(n)d attachment added.", "%(n)d attachments added.", len(result)) % {"n": len(result)}
        return ACTION_DONE[self.action](result)


@login_required
def attachment(request, pk: int, attachment_pk: int):
    """One attachment, only to those who may see its matter; never from a public URL."""
    user = request.user
    require_any_capability(user, *VIEWERS)
    matter = read(selectors.matter_get_for_user, user, pk)
    row = matter.attachments.filter(pk=attachment_pk).first()
    if row is None:
        raise Http404
    try:
        handle = row.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=row.content_type or "application/octet-stream",
                            as_attachment=request.GET.get("download") == "1", filename=row.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    patch_cache_control(response, private=True, max_age=3600)
    return response


# ---------------------------------------------------------------- the supervision board


def board_link(code: str, state: str) -> str:
    query = [("within", code), ("deadline_state", state)] + [("status", s) for s in BOARD_STATUSES]
    return f"{reverse('matters:list')}?{urlencode(query)}"


@login_required
def supervision(request):
    """督办: yellow and red matters per township in the supervisor's area, each count linking to them."""
    user = request.user
    require_any_capability(user, SUPERVISE_MATTERS)
    within = request.GET.get("within", "").strip()
    division = read(division_get_for_user, user, within) if within else None
    rows = selectors.supervision_board(user, within=division)
    for row in rows:
        code = row["township__code"]
        row["yellow_url"], row["red_url"] = board_link(code, "yellow"), board_link(code, "red")
    return render_page(request, "matters/supervision.html", {
        **subnav(user), "page": "supervision", "rows": rows, "division": division,
        "totals": {"yellow": sum(r["yellow"] for r in rows), "red": sum(r["red"] for r in rows)},
    })
