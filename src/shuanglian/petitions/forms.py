"""Petition forms: shapes only; the services decide."""
from django import forms
from django.utils.translation import gettext_lazy as _

from shuanglian.access.roles import HANDLE_PETITIONS
from shuanglian.access.scope import scope_for
from shuanglian.divisions.choices import Level
from shuanglian.divisions.models import Division

from .choices import Category, Channel, Lodged, Outcome, Status
from .models import Subject


class RegisterFilterForm(forms.Form):
    """The register's filters (the FilterSet reads the same names)."""

    year = forms.IntegerField(label=_("year received"), required=False, min_value=1990, max_value=2100)
    within = forms.CharField(label=_("division code (subtree)"), required=False, max_length=15)
    channel = forms.ChoiceField(label=_("channel"), required=False, choices=[("", "—"), *Channel.choices])
    category = forms.ChoiceField(label=_("category"), required=False, choices=[("", "—"), *Category.choices])
    status = forms.ChoiceField(label=_("status"), required=False, choices=[("", "—"), *Status.choices])
    destination = forms.ChoiceField(label=_("lodged at"), required=False, choices=[("", "—"), *Lodged.choices])


class IntakeForm(forms.Form):
    division = forms.ModelChoiceField(label=_("division concerned"), queryset=Division.objects.none())
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices)
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    subject = forms.ModelChoiceField(label=_("subject"), queryset=Subject.objects.filter(active=True), required=False)
    lodged_at = forms.ChoiceField(label=_("lodged at"), choices=Lodged.choices, initial=Lodged.COUNTY)
    received_on = forms.DateField(label=_("received on"), widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label=_("summary"), max_length=200)
    content = forms.CharField(label=_("full content"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    petitioner_name = forms.CharField(label=_("petitioner"), max_length=60)
    petitioner_phone = forms.CharField(label=_("petitioner's phone"), max_length=20, required=False)
    person_times = forms.IntegerField(label=_("person-times"), min_value=1, initial=1)
    representatives = forms.CharField(label=_("representatives (group visit, at most 5, one a line)"),
                                      required=False, widget=forms.Textarea(attrs={"rows": 3}))
    accused = forms.CharField(label=_("accused person or unit"), max_length=100, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user, HANDLE_PETITIONS, via_organizations=False)
        self.fields["division"].queryset = (Division.objects.current().filter(scope.division_q())
                                            .filter(level__in=[Level.TOWNSHIP, Level.VILLAGE]).order_by("code"))

    def clean_representatives(self):
        return [line.strip() for line in self.cleaned_data["representatives"].splitlines() if line.strip()]


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    days = forms.IntegerField(label=_("extension (days)"), required=False, min_value=1, max_value=30)
    approver = forms.CharField(label=_("extension approved by"), required=False, max_length=60)
    outcome = forms.ChoiceField(label=_("outcome"), required=False, choices=[("", "—"), *Outcome.choices])
    request_text = forms.CharField(label=_("request"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    facts = forms.CharField(label=_("facts"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reasons = forms.CharField(label=_("reasons"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.CharField(label=_("legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StatsForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=1990, max_value=2100)
    within = forms.CharField(label=_("division code (subtree)"), max_length=15)
