"""Forms for the account pages. They check shape; accounts.services checks who may do what."""
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from shuanglian.access.roles import Role
from shuanglian.core.exceptions import DomainError, NotFound
from shuanglian.divisions.selectors import division_get_for_user
from shuanglian.organizations.models import Organization
from shuanglian.organizations.selectors import organization_list_visible_to

from . import signin
from .models import Grant


class ActorForm(forms.Form):
    """A form that knows who is filling it in, to resolve what they typed within what they may see."""

    def __init__(self, *args, actor, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)

    def _division(self, code: str):
        code = (code or "").strip()
        if not code:
            return None
        try:
            return division_get_for_user(self.actor, code)
        except NotFound as exc:
            raise forms.ValidationError(_("No current division with this code that you may see.")) from exc


DIVISION_HELP = _("The statistical code, e.g. 330803001 for a township or 330803001001 for a village.")


class UserCreateForm(ActorForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=60, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    division = forms.CharField(label=_("Division code"), max_length=15, help_text=DIVISION_HELP)
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_confirm = forms.CharField(label=_("Password again"), strip=False,
                                       widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_division(self):
        return self._division(self.cleaned_data["division"])

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_confirm") and data["password"] != data["password_confirm"]:
            self.add_error("password_confirm", _("The two passwords differ."))
        return data


class UserUpdateForm(ActorForm):
    full_name = forms.CharField(label=_("Full name"), max_length=60, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    division = forms.CharField(label=_("Division code"), max_length=15, help_text=DIVISION_HELP)
    is_active = forms.BooleanField(label=_("Account active"), required=False)

    def clean_division(self):
        return self._division(self.cleaned_data["division"])


class GrantCreateForm(ActorForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    division = forms.CharField(label=_("At division (code)"), max_length=15, required=False, help_text=DIVISION_HELP)
    organization = forms.ModelChoiceField(label=_("Or at organization"), queryset=Organization.objects.none(),
                                          required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organization_list_visible_to(self.actor).filter(is_active=True)

    def clean_division(self):
        return self._division(self.cleaned_data["division"])

    def clean(self):
        data = super().clean()
        if not self.errors and (data.get("division") is None) == (data.get("organization") is None):
            raise forms.ValidationError(_("Give a division code or an organization: one of the two."))
        return data


class GrantRevokeForm(forms.Form):
    grant = forms.ModelChoiceField(queryset=Grant.objects.none(), widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, grants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grant"].queryset = grants


class SigninForm(AuthenticationForm):
    """Django's login form, checked through accounts.signin (lockout, slowdown, audit)."""

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = signin.check_password(request=self.request, username=username, password=password)
            except DomainError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from exc
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(label=_("New password"), strip=False,
                                   help_text=lazy(lambda: " ".join(password_validators_help_texts()), str)(),
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password_confirm = forms.CharField(label=_("New password again"), strip=False,
                                           widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password_confirm") \
                and data["new_password"] != data["new_password_confirm"]:
            self.add_error("new_password_confirm", _("The two passwords differ."))
        return data


class PasswordResetForm(forms.Form):
    """An administrator sets a temporary password for another account."""

    password = forms.CharField(label=_("New password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_confirm = forms.CharField(label=_("Password again"), strip=False,
                                       widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_confirm") and data["password"] != data["password_confirm"]:
            self.add_error("password_confirm", _("The two passwords differ."))
        return data


class PendingGrantDecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
