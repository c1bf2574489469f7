"""Association pages: the list within one's scope and an association's page (officers, members, history,
meetings) with the forms to appoint, end a post and record a meeting for those who may. Thin: selectors
read, services write; out of scope reads as 404, no associations.view anywhere as 403."""
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from shuanglian.access.roles import VIEW_ASSOCIATIONS
from shuanglian.core.exceptions import NotFound
from shuanglian.core.htmx import (
    ServiceFormMixin,
    paginate,
    raise_for_read,
    render_page,
    require_any_capability,
)

from . import policies, selectors, services
from .choices import AssociationKind, Post
from .filtersets import AssociationFilterSet
from .forms import AppointForm, EndPostForm, MeetingForm

SECTION = "associations"


def _association(user, pk: int):
    require_any_capability(user, VIEW_ASSOCIATIONS)
    try:
        return selectors.association_get_for_user(user, pk)
    except NotFound as exc:
        raise_for_read(exc)


@login_required
def association_list(request):
    require_any_capability(request.user, VIEW_ASSOCIATIONS)
    filterset = AssociationFilterSet(request.GET, queryset=selectors.association_list_visible_to(request.user))
    found = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return render_page(request, "associations/list.html", {
        "section": SECTION, "filterset": filterset, "page_obj": paginate(request, found),
        "kinds": AssociationKind.choices,
    })


def _detail_context(user, association, **forms) -> dict:
    current = list(selectors.post_list(association))
    may_manage = policies.may_manage(user, association)
    context = {
        "section": SECTION, "association": association, "may_manage": may_manage,
        "officers": [p for p in current if p.post != Post.MEMBER],
        "members": [p for p in current if p.post == Post.MEMBER],
        "history": list(selectors.post_list(association, current=False)[:50]),
        "meetings": list(selectors.meeting_list(association)[:20]),
    }
    if may_manage:
        context["appoint_form"] = forms.get("appoint_form") or AppointForm()
        context["meeting_form"] = forms.get("meeting_form") or MeetingForm(holders=current)
        context["end_form"] = forms.get("end_form") or EndPostForm()
    return context


@login_required
def association_detail(request, pk: int):
    association = _association(request.user, pk)
    return render_page(request, "associations/detail.html", _detail_context(request.user, association))


class _AssociationWrite(LoginRequiredMixin, ServiceFormMixin, View):
    """A form posted from the association's page; on a refusal the page is shown again with the message."""

    template_name = "associations/detail.html"
    form_name = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.association = _association(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return _detail_context(self.request.user, self.association, **{self.form_name: kwargs.get("form")})

    def success_url(self, result) -> str:
        return reverse("associations:detail", args=[self.association.pk])

    def post(self, request, pk, **kwargs):
        return self.submit(self.form(request.POST))


class AppointView(_AssociationWrite):
    form_name = "appoint_form"

    def form(self, data):
        return AppointForm(data)

    def perform(self, form):
        return services.post_appoint(actor=self.request.user, association=self.association, **form.cleaned_data)

    def success_message(self, result) -> str:
        return _("%(name)s appointed %(post)s.") % {"name": result.member.name, "post": result.get_post_display()}


class EndPostView(_AssociationWrite):
    form_name = "end_form"

    def form(self, data):
        return EndPostForm(data)

    def post(self, request, pk, **kwargs):
        try:
            self.target = selectors.post_get(self.association, kwargs["post_id"])
        except NotFound as exc:
            raise_for_read(exc)
        return super().post(request, pk, **kwargs)

    def perform(self, form):
        return services.post_end(actor=self.request.user, post=self.target, ended_on=form.cleaned_data["ended_on"],
                                 reason=form.cleaned_data["reason"])

    def success_message(self, result) -> str:
        return _("The post of %(name)s ended.") % {"name": result.member.name}


class MeetingView(_AssociationWrite):
    form_name = "meeting_form"

    def form(self, data):
        return MeetingForm(data, holders=selectors.post_list(self.association))

    def perform(self, form):
        return services.meeting_record(actor=self.request.user, association=self.association, **form.cleaned_data)

    def success_message(self, result) -> str:
        return _("Meeting of %(d)s recorded.") % {"d": result.held_on.isoformat()}
