"""The dispute forms: single-column on a phone; the services check what they are given."""
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuanglian.core.forms import textarea_field
from shuanglian.divisions.forms import DateInput, within_filter_choices
from shuanglian.matters.selectors import matter_divisions

from . import selectors
from .choices import MediationOutcome, PartyRole, Remedy


class RegisterForm(forms.Form):
    """The register's filter fields, labelled for people; the query itself is DisputeFilterSet's."""

    year = forms.IntegerField(label=gettext_lazy("Year screened"), required=False, min_value=1990, max_value=2100)
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), required=False)
    within = forms.ChoiceField(label=gettext_lazy("Area"), required=False)
    confirmation = forms.ChoiceField(label=gettext_lazy("Judicial confirmation"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", _("Any")), ("open", _("not concluded")), *MediationOutcome.choices]
        self.fields["within"].choices = [("", _("All my area")), *within_filter_choices(matter_divisions(user))]
        self.fields["confirmation"].choices = [("", _("Any")), *selectors.WINDOW_LABELS.items()]


class ScreenForm(forms.Form):
    screened_on = forms.DateField(label=gettext_lazy("Screened on"), widget=DateInput())
    facts = textarea_field(gettext_lazy("Main facts"), required=False)
    issues = textarea_field(gettext_lazy("Disputed issues"), required=False)
    notes = textarea_field(gettext_lazy("Notes"), required=False)


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=PartyRole.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=60)
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=30, required=False,
                                help_text=gettext_lazy("18 characters; the sex is taken from it. Shown masked."))
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False)


class MediatorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=60, required=False,
                           help_text=gettext_lazy("Leave empty if you mediate yourself."))
    committee = forms.CharField(label=gettext_lazy("Mediation committee"), max_length=100, required=False)
    me = forms.BooleanField(label=gettext_lazy("I am the mediator"), required=False)


class MediatorRemoveForm(forms.Form):
    mediator = forms.TypedChoiceField(label=gettext_lazy("Mediator"), coerce=int)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500,
                             help_text=gettext_lazy("Which party refused the mediator, and why (Art. 23)."))

    def __init__(self, *args, mediators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].choices = [(m.pk, m.name) for m in mediators]


class SessionForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Held on"), widget=DateInput())
    place = forms.CharField(label=gettext_lazy("Place"), max_length=100, required=False)
    notes = textarea_field(gettext_lazy("Record"), required=False)


class AgreementForm(forms.Form):
    facts = textarea_field(gettext_lazy("Main facts of the dispute"))
    issues = textarea_field(gettext_lazy("Disputed issues"))
    responsibilities = textarea_field(gettext_lazy("Responsibilities of the parties"))
    terms = textarea_field(gettext_lazy("Terms agreed"))
    performance = textarea_field(gettext_lazy("How and when the terms are performed"))
    effective_on = forms.DateField(label=gettext_lazy("Signed and in effect on"), widget=DateInput())
    parties_signed = forms.BooleanField(label=gettext_lazy("The parties signed, sealed or put their fingerprints "
                                                           "on it"), required=False)
    mediator_signed = forms.BooleanField(label=gettext_lazy("The mediator signed it under the committee's seal"),
                                         required=False)
    copies = forms.IntegerField(label=gettext_lazy("Copies"), required=False, min_value=1, max_value=99,
                                help_text=gettext_lazy("Default: one for each party and one kept."))


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=MediationOutcome.choices,
                                widget=forms.RadioSelect)
    outcome_on = forms.DateField(label=gettext_lazy("On"), widget=DateInput())
    remedies_told = forms.MultipleChoiceField(
        label=gettext_lazy("Other remedies the parties were told of"), choices=Remedy.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=gettext_lazy("Required when mediation failed (Art. 26)."))
    notes = textarea_field(gettext_lazy("Notes"), required=False)


class ConfirmationForm(forms.Form):
    applied_on = forms.DateField(label=gettext_lazy("Applied for on"), widget=DateInput(),
                                 help_text=gettext_lazy("Within 30 days of the agreement taking effect (Art. 33)."))


class ConfirmationResultForm(forms.Form):
    result = forms.CharField(label=gettext_lazy("The court's decision"), max_length=100)
