"""Training and kit pages: the training sessions (list, and a new session for those who record training), a
session with its attendance form (a checkbox per member of the township), and a member's page (posts, training
record, kit with issue and return). Thin: selectors read, services write; out of scope reads as 404, no
teams.view anywhere as 403."""
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from shuanglian.access.roles import VIEW_TEAMS
from shuanglian.core.exceptions import DomainError, NotFound
from shuanglian.core.htmx import (
    ServiceFormMixin,
    paginate,
    raise_for_read,
    render_page,
    require_any_capability,
)
from shuanglian.divisions.selectors import division_get_for_user

from . import policies, selectors
from .filtersets import TrainingSessionFilterSet
from .forms import AttendanceForm, KitIssueForm, KitReturnForm, SessionForm
from .services import kits, training


class _TeamsPage(ServiceFormMixin, View):
    """Logged in (else the login page) and holding teams.view somewhere (else 403)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        require_any_capability(request.user, VIEW_TEAMS)
        return super().dispatch(request, *args, **kwargs)

    def read(self, selector, *args):
        try:
            return selector(self.request.user, *args)
        except NotFound as exc:
            raise_for_read(exc)


class SessionListView(_TeamsPage):
    template_name = "teams/training_list.html"

    def townships(self):
        """Where the user may record training: the current townships under their teams.manage grants."""
        return selectors.training_townships(self.request.user)

    def form(self, data=None, townships=None):
        lecturers = selectors.lecturer_list_visible_to(self.request.user).filter(is_active=True)
        return SessionForm(data, townships=self.townships() if townships is None else townships, lecturers=lecturers)

    def get_context_data(self, **kwargs):
        user = self.request.user
        found = TrainingSessionFilterSet(self.request.GET, queryset=selectors.session_list_visible_to(user))
        return {"sessions": paginate(self.request, found.qs), "year": self.request.GET.get("year", ""),
                "township": self.request.GET.get("township", ""), **kwargs}

    def get(self, request):
        townships = self.townships()
        return render_page(request, self.template_name,
                           self.get_context_data(form=self.form(townships=townships) if townships else None))

    def post(self, request):
        townships = self.townships()
        if not townships:
            raise PermissionDenied
        return self.submit(self.form(request.POST, townships))

    def perform(self, form):
        d = form.cleaned_data
        township = division_get_for_user(self.request.user, d["township"])
        return training.session_create(actor=self.request.user, township=township, topic=d["topic"],
                                       held_on=d["held_on"], place=d["place"], trainers=d["trainers"],
                                       notes=d["notes"])

    def success_url(self, result) -> str:
        return reverse("teams:session", args=[result.pk])

    def success_message(self, result) -> str:
        return _("Training session recorded. Tick who attended.")


class SessionView(_TeamsPage):
    template_name = "teams/training_session.html"

    def load(self, pk):
        self.session = self.read(selectors.session_get_for_user, pk)
        self.candidates = selectors.session_candidates(self.session, self.request.user)
        self.may_record = policies.may_record_training(self.request.user, self.session.township)

    def get_context_data(self, **kwargs):
        return {"session": self.session, "candidates": self.candidates, "may_record": self.may_record,
                "trainers": list(self.session.trainers.all()), **kwargs}

    def get(self, request, pk):
        self.load(pk)
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request, pk):
        self.load(pk)
        if not self.may_record:
            raise PermissionDenied
        return self.submit(AttendanceForm(request.POST, candidates=self.candidates))

    def perform(self, form):
        return training.session_attendance_set(actor=self.request.user, session=self.session,
                                               member_ids=form.cleaned_data["members"])

    def success_url(self, result) -> str:
        return reverse("teams:session", args=[self.session.pk])

    def success_message(self, result) -> str:
        return _("Attendance saved: %(n)s present.") % {"n": result["attended"]}


class MemberView(_TeamsPage):
    """A member seen through one of their posts: their posts the user may see, training record and kit."""

    template_name = "teams/member.html"

    def load(self, pk):
        self.post_ = self.read(selectors.membership_get_for_user, pk)
        self.kit = selectors.member_kit(self.post_.member)
        self.may_manage = self.post_.is_current and policies.may_manage_post(self.request.user, self.post_)

    def issue_form(self, data=None):
        return KitIssueForm(data, missing=[row["item"] for row in self.kit if row["issue"] is None])

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None)
        member = self.post_.member
        return {"post": self.post_, "member": member, "kit": self.kit, "may_manage": self.may_manage,
                "posts": selectors.membership_list_visible_to(self.request.user).filter(member=member),
                "record": selectors.member_training(member, self.request.user),
                "issue_form": form if isinstance(form, KitIssueForm) else self.issue_form(),
                "return_errors": form.errors if isinstance(form, KitReturnForm) else None, **kwargs}

    def get(self, request, pk):
        self.load(pk)
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request, pk):
        self.load(pk)
        if not self.may_manage:
            raise PermissionDenied
        if request.POST.get("action") == "return":
            return self.submit(KitReturnForm(request.POST))
        return self.submit(self.issue_form(request.POST))

    def perform(self, form):
        d, user = form.cleaned_data, self.request.user
        if isinstance(form, KitReturnForm):
            try:
                issue = selectors.kit_get_for_user(user, d["issue"])
            except DomainError:
                raise Http404 from None
            return kits.kit_return(actor=user, issue=issue, returned_on=d["returned_on"])
        return kits.kit_issue(actor=user, membership=self.post_, items=d["items"], issued_on=d["issued_on"])

    def success_url(self, result) -> str:
        return reverse("teams:member", args=[self.post_.pk])
