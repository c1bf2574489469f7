"""Sign-in, and the account pages for administrators (and, read-only, auditors)."""
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from shuanglian.access.roles import MANAGE_USERS, VIEW_USERS, Role
from shuanglian.core import clock
from shuanglian.core.exceptions import NotFound
from shuanglian.core.htmx import (
    ServiceFormMixin,
    paginate,
    raise_for_read,
    read,
    render_page,
    require_any_capability,
)

from . import mfa, mfa_views, passwords, policies, services, signin
from .filtersets import UserFilterSet
from .forms import (
    GrantCreateForm,
    GrantRevokeForm,
    PasswordChangeForm,
    PasswordResetForm,
    PendingGrantDecideForm,
    SigninForm,
    UserCreateForm,
    UserUpdateForm,
)
from .models import PendingGrant
from .selectors import (
    grant_list_visible_to,
    pending_grant_get_for_user,
    pending_grant_list_visible_to,
    user_get_for_user,
    user_list_visible_to,
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = SigninForm  # lockout, slowdown and the audit trail: accounts.signin

    def form_valid(self, form):
        user = form.get_user()
        if mfa.required_for(user):
            # Not signed in yet: the second factor comes first (accounts.mfa_views).
            return mfa_views.begin(self.request, user, self.get_success_url())
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        signin.record_logout(request.user)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(LoginRequiredMixin, ServiceFormMixin, View):
    """The signed-in user's own password; where a due change (first sign-in, reset, expiry) holds them."""

    template_name = "accounts/password_change.html"

    def get_context_data(self, form=None, **kwargs):
        reason = passwords.change_due(self.request.user)
        return {"form": form, "due": passwords.due_message(reason) if reason else ""}

    def get(self, request):
        return render_page(request, self.template_name, self.get_context_data(form=PasswordChangeForm()))

    def post(self, request):
        return self.submit(PasswordChangeForm(request.POST))

    def perform(self, form):
        data = form.cleaned_data
        user = services.password_change(request=self.request, username=self.request.user.get_username(),
                                        old_password=data["old_password"], new_password=data["new_password"])
        update_session_auth_hash(self.request, user)  # the new hash would otherwise end this session
        return user

    def success_url(self, result):
        return reverse("home")

    def success_message(self, result):
        return _("Your password is changed.")


@login_required
def user_list(request):
    require_any_capability(request.user, VIEW_USERS, MANAGE_USERS)
    filterset = UserFilterSet(request.GET, queryset=user_list_visible_to(request.user))
    users = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return render_page(request, "accounts/user_list.html", {
        "section": "accounts", "filterset": filterset, "roles": Role.choices,
        "page_obj": paginate(request, users),
        "may_create": policies.may_manage_users_somewhere(request.user),
    })


class UserCreateView(LoginRequiredMixin, ServiceFormMixin, View):
    template_name = "accounts/user_create.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_any_capability(request.user, MANAGE_USERS)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        return {"section": "accounts", "form": form}

    def get(self, request):
        form = UserCreateForm(actor=request.user, initial={"division": request.GET.get("division", "")})
        return render_page(request, self.template_name, self.get_context_data(form=form))

    def post(self, request):
        return self.submit(UserCreateForm(request.POST, actor=request.user))

    def perform(self, form):
        data = form.cleaned_data
        return services.user_create(actor=self.request.user, username=data["username"], password=data["password"],
                                    division=data["division"], full_name=data["full_name"], email=data["email"])

    def success_url(self, result):
        return reverse("accounts:user_detail", kwargs={"pk": result.pk})

    def success_message(self, result):
        return _("Account %(name)s created. Now give it a role.") % {"name": result.username}


class UserDetailView(LoginRequiredMixin, ServiceFormMixin, View):
    """One account with its grants. Administrators change it, grant and revoke roles here."""

    template_name = "accounts/user_detail.html"
    FRAGMENTS = {"update": "accounts/partials/user_update_form.html",
                 "grant": "accounts/partials/grant_form.html",
                 "password": "accounts/partials/password_reset_form.html",
                 "revoke": None}  # a revoke button's error goes to the page's message area

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require_any_capability(request.user, VIEW_USERS, MANAGE_USERS)
        try:
            self.subject = user_get_for_user(request.user, kwargs["pk"])
        except NotFound as exc:
            raise_for_read(exc)
        self.may_manage = policies.may_manage_user(request.user, self.subject)
        return super().dispatch(request, *args, **kwargs)

    def grants(self):
        return grant_list_visible_to(self.request.user).filter(user=self.subject)

    def make_form(self, action: str, data=None):
        actor, subject = self.request.user, self.subject
        if action == "update":
            initial = {"full_name": subject.full_name, "email": subject.email, "is_active": subject.is_active,
                       "division": subject.division.code if subject.division_id else ""}
            return UserUpdateForm(data, actor=actor, initial=initial, prefix="update")
        if action == "grant":
            return GrantCreateForm(data, actor=actor, prefix="grant")
        if action == "password":
            return PasswordResetForm(data, prefix="password")
        if action == "revoke":
            return GrantRevokeForm(data, grants=self.grants().filter(revoked_at__isnull=True), prefix="revoke")
        raise KeyError(action)

    def get_context_data(self, form=None, **kwargs):
        bound = getattr(self, "action", None) if form is not None else None
        context = {"section": "accounts", "subject": self.subject, "grants": list(self.grants()),
                   "may_manage": self.may_manage}
        if self.may_manage:
            context["now"] = clock.now()
            for action in ("update", "grant", "password"):
                context[f"{action}_form"] = form if action == bound else self.make_form(action)
            if bound == "revoke":
                context["revoke_errors"] = form.errors
        context["form"] = form
        return context

    def get(self, request, pk):
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request, pk):
        if not self.may_manage:
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action not in self.FRAGMENTS:
            return HttpResponseBadRequest(_("Unknown operation."))
        self.action = action
        self.form_template_name = self.FRAGMENTS[action]
        return self.submit(self.make_form(action, request.POST))

    def perform(self, form):
        data, actor = form.cleaned_data, self.request.user
        if self.action == "update":
            return services.user_update(actor=actor, user=self.subject, full_name=data["full_name"],
                                        email=data["email"], division=data["division"], is_active=data["is_active"])
        if self.action == "grant":
            return services.grant_create(actor=actor, user=self.subject, role=data["role"],
                                         division=data["division"], organization=data["organization"])
        if self.action == "password":
            return services.user_set_password(actor=actor, user=self.subject, password=data["password"])
        return services.grant_revoke(actor=actor, grant=data["grant"], reason=data["reason"])

    def success_url(self, result):
        return reverse("accounts:user_detail", kwargs={"pk": self.subject.pk})

    def success_message(self, result):
        if self.action == "update":
            return _("Account %(name)s saved.") % {"name": self.subject.username}
        if self.action == "password":
            return _("Password of %(name)s reset; it must be changed at the next sign-in.") % {
                "name": self.subject.username}
        if self.action == "grant" and isinstance(result, PendingGrant):
            return _("The role %(role)s at %(target)s reveals personal information: it awaits a second "
                     "administrator's approval.") % {"role": result.get_role_display(), "target": result.target}
        if self.action == "grant":
            return _("Role %(role)s granted at %(target)s.") % {"role": result.get_role_display(),
                                                                  "target": result.target}
        return _("Role %(role)s at %(target)s revoked.") % {"role": result.get_role_display(), "target": result.target}


def _pending_context(request, form=None) -> dict:
    pending = pending_grant_list_visible_to(request.user)
    return {"section": "accounts", "form": form, "page_obj": paginate(request, pending),
            "may_decide": policies.may_manage_users_somewhere(request.user)}


@login_required
def pending_grants(request):
    """Grants of roles that reveal personal information waiting for a second administrator (two_person)."""
    require_any_capability(request.user, VIEW_USERS, MANAGE_USERS)
    return render_page(request, "accounts/pending_grants.html", _pending_context(request))


class PendingGrantDecideView(LoginRequiredMixin, ServiceFormMixin, View):
    """A second administrator approves or rejects one pending grant (a button on the list)."""

    template_name = "accounts/pending_grants.html"
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require_any_capability(request.user, MANAGE_USERS)
        self.pending = read(pending_grant_get_for_user, request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        return _pending_context(self.request, form)

    def post(self, request, pk):
        return self.submit(PendingGrantDecideForm(request.POST))

    def perform(self, form):
        return services.pending_grant_decide(actor=self.request.user, pending=self.pending,
                                             approve=form.cleaned_data["decision"] == "approve")

    def success_url(self, result):
        return reverse("accounts:pending_grants")

    def success_message(self, result):
        return _("Grant of %(role)s to %(user)s at %(target)s %(outcome)s.") % {
            "role": result.get_role_display(), "user": result.user.username, "target": result.target,
            "outcome": result.get_outcome_display()}
