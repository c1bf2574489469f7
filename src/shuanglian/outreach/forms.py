"""The contact-day and visit forms: single-column on a phone (360 px); the services check what they are given."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from shuanglian.core.forms import textarea_field
from shuanglian.divisions.choices import Level as DivisionLevel
from shuanglian.divisions.forms import LEVEL_LABELS, DateInput
from shuanglian.matters.choices import MatterType

from .choices import AttendeeRole


class PlanForm(forms.Form):
    division = forms.ChoiceField(label=gettext_lazy("For"))
    townships = forms.BooleanField(label=gettext_lazy("Plan each township's 10th as well"), required=False)

    def __init__(self, *args, divisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.divisions = {d.code: d for d in divisions}
        self.fields["division"].choices = [(d.code, f"{d.name} · {LEVEL_LABELS[d.level]}") for d in divisions]
        if not any(d.level == DivisionLevel.COUNTY for d in divisions):
            del self.fields["townships"]


class AttendeeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=60)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=AttendeeRole.choices, initial=AttendeeRole.CADRE)
    organization = forms.TypedChoiceField(label=gettext_lazy("Organization"), required=False, coerce=int,
                                          empty_value=None)
    attended = forms.BooleanField(label=gettext_lazy("Present"), required=False)

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = {o.pk: o for o in organizations}
        self.fields["organization"].choices = [("", "—"), *((o.pk, o.name) for o in organizations)]


class AttendanceForm(forms.Form):
    attendee = forms.IntegerField(widget=forms.HiddenInput)
    attended = forms.BooleanField(required=False)


class DayVisitForm(forms.Form):
    village = forms.ChoiceField(label=gettext_lazy("Village"))
    visitors = forms.CharField(label=gettext_lazy("Who went"), max_length=300)
    households_visited = forms.IntegerField(label=gettext_lazy("Households visited"), min_value=0,
                                            max_value=10000, initial=0)
    notes = textarea_field(gettext_lazy("What they found"), required=False)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.villages = {v.code: v for v in villages}
        self.fields["village"].choices = [(v.code, v.name) for v in villages]


class MatterForm(forms.Form):
    grid = forms.CharField(label=gettext_lazy("Grid"), max_length=15)
    type = forms.ChoiceField(label=gettext_lazy("Type"), choices=MatterType.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    description = textarea_field(gettext_lazy("Description"), required=False)
    raised_by_name = forms.CharField(label=gettext_lazy("Raised by"), max_length=60, required=False)
    raised_by_phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False)

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        if grids is not None:  # few enough to choose from; otherwise the grid's code is typed
            self.fields["grid"] = forms.ChoiceField(label=gettext_lazy("Grid"),
                                                    choices=[(g.code, f"{g.parent.name} · {g.name}") for g in grids])
        else:
            self.fields["grid"].help_text = gettext_lazy("The grid's 15-digit code.")


class HoldForm(forms.Form):
    summary = textarea_field(gettext_lazy("Summary"), max_length=5000,
                        help_text=gettext_lazy("What was done and found; saving marks the day held."))


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=gettext_lazy("Visited on"), widget=DateInput())
    visitor_names = forms.CharField(label=gettext_lazy("Visitors"), max_length=200, required=False,
                                    help_text=gettext_lazy("Leave empty if you went alone."))
    notes = textarea_field(gettext_lazy("Notes"), required=False)


class VisitMatterForm(forms.Form):
    type = forms.ChoiceField(label=gettext_lazy("Type"), choices=MatterType.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    description = textarea_field(gettext_lazy("Description"), required=False)
