"""Page forms: shapes only; the services decide."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import DecisionCategory, DisclosureKind, MeetingKind

DATE = forms.DateInput(attrs={"type": "date"})
NUMBER = forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})


class MeetingForm(forms.Form):
    village = forms.ModelChoiceField(queryset=None, label=_("Village"))
    kind = forms.ChoiceField(choices=MeetingKind.choices, label=_("Kind"))
    title = forms.CharField(max_length=200, label=_("Title"))
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    place = forms.CharField(max_length=100, required=False, label=_("Place"))
    notice_on = forms.DateField(required=False, label=_("Notice given on"), widget=DATE)
    agenda_sent_on = forms.DateField(required=False, label=_("Agenda sent on"), widget=DATE)
    eligible = forms.IntegerField(min_value=0, required=False, label=_("Who may attend"), widget=NUMBER,
                                  help_text=_("Counted from the archive and the bodies where they say."))
    present = forms.IntegerField(min_value=0, label=_("Present"), widget=NUMBER)
    households_present = forms.IntegerField(min_value=0, required=False, label=_("Households represented"),
                                            widget=NUMBER)
    motion = forms.CharField(max_length=300, required=False, label=_("Motion"))
    votes_for = forms.IntegerField(min_value=0, required=False, label=_("For"), widget=NUMBER)
    votes_against = forms.IntegerField(min_value=0, required=False, label=_("Against"), widget=NUMBER)
    abstaining = forms.IntegerField(min_value=0, required=False, label=_("Abstaining"), widget=NUMBER)
    minutes = forms.CharField(required=False, label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class DecisionForm(forms.Form):
    village = forms.ModelChoiceField(queryset=None, label=_("Village"))
    title = forms.CharField(max_length=200, label=_("Title"))
    category = forms.ChoiceField(choices=DecisionCategory.choices, label=_("Category"))

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class StepForm(forms.Form):
    action = forms.CharField(max_length=50, widget=forms.HiddenInput)
    meeting = forms.IntegerField(required=False, label=_("Meeting (number)"), widget=NUMBER)
    motion = forms.IntegerField(required=False, label=_("Motion (number)"), widget=NUMBER)
    text = forms.CharField(required=False, label=_("Text"), widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(required=False, label=_("Date"), widget=DATE)
    place = forms.CharField(max_length=100, required=False, label=_("Place"))
    result = forms.CharField(required=False, label=_("Implementation result"))
    reason = forms.CharField(required=False, label=_("Reason"))


class DisclosureForm(forms.Form):
    kind = forms.ChoiceField(choices=DisclosureKind.choices, label=_("Kind"))
    title = forms.CharField(max_length=200, label=_("Title"))
    posted_on = forms.DateField(label=_("Posted on"), widget=DATE)
    place = forms.CharField(max_length=100, label=_("Place"))
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
