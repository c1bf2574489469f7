"""Forms for the archive pages. They check the input's shape; the services check the rules."""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuanglian.access.roles import VIEW_ARCHIVES
from shuanglian.access.scope import scope_for
from shuanglian.core.forms import SpreadsheetUploadForm
from shuanglian.divisions.choices import Level
from shuanglian.divisions.forms import LEVEL_LABELS, DateInput
from shuanglian.divisions.models import Division

from .choices import RelationToHead, ResidenceStatus, Sex
from .models import Tag

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # a township of 100,000 persons is about 15 MB as CSV
WITHIN_CHOICES_LIMIT = 400  # beyond this many divisions, the subtree menu lists townships and villages only


class PersonSearchForm(forms.Form):
    """The search box's fields, labelled for people; the query itself is PersonFilterSet's."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), required=False, help_text=_("Starts with"))
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=20)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    address = forms.CharField(label=_("Address"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    min_age = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=150)
    max_age = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=150)
    within = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args, user, pii: bool, **kwargs):
        super().__init__(*args, **kwargs)
        tags = Tag.objects.filter(is_active=True)
        if not pii:
            # ID numbers, phones, ages and sensitive tags are searched only where the user sees them.
            tags = tags.filter(sensitive=False)
            for name in ("id_number", "phone", "min_age", "max_age"):
                del self.fields[name]
        self.fields["tag"].choices = [("", _("Any tag"))] + [(t.code, t.name) for t in tags]
        self.fields["within"].choices = [("", _("All my area"))] + within_choices(user)


def within_choices(user) -> list[tuple[str, str]]:
    """Townships, villages (and grids, if not too many) where the user sees archives: one query."""
    divisions = list(Division.objects.current().filter(scope_for(user, VIEW_ARCHIVES).division_q())
                     .filter(level__in=(Level.TOWNSHIP, Level.VILLAGE, Level.GRID))
                     .order_by("code_key").values_list("code", "name", "level")[:WITHIN_CHOICES_LIMIT * 10])
    if len(divisions) > WITHIN_CHOICES_LIMIT:
        divisions = [d for d in divisions if d[2] != Level.GRID]
    indent = {Level.TOWNSHIP: "", Level.VILLAGE: "\u3000", Level.GRID: "\u3000\u3000"}
    return [(code, f"{indent[level]}{name} · {LEVEL_LABELS[level]}") for code, name, level in divisions]


class HouseholdForm(forms.Form):
    number = forms.CharField(label=_("Household number"), max_length=30)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    house = forms.CharField(label=_("House"), max_length=200, required=False,
                            help_text=_("e.g. brick and concrete, two storeys"))
    annual_income = forms.DecimalField(label=_("Annual income (yuan)"), max_digits=12, decimal_places=2,
                                       min_value=0, required=False)
    land_notes = forms.CharField(label=_("Land"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    livelihood_notes = forms.CharField(label=_("Livelihood"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, pii: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not pii:
            del self.fields["annual_income"]


class TagsForm(forms.Form):
    tags = forms.ModelMultipleChoiceField(label=_("Tags"), queryset=Tag.objects.none(), required=False,
                                          to_field_name="code", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = Tag.objects.filter(is_active=True)


class PersonForm(forms.Form):
    """Add a member, or change one. An ID number and a phone are never put back into the form: on a
    change, an empty box keeps the recorded value. With an ID number, sex and birth date come from it."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    relation_to_head = forms.ChoiceField(label=_("Relation to head"), choices=RelationToHead.choices)
    id_number = forms.CharField(label=_("ID number"), max_length=20, required=False,
                                help_text=_("18 characters; sex and birth date are taken from it."))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput, required=False)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20, required=False)
    education = forms.CharField(label=_("Education"), max_length=20, required=False)
    occupation = forms.CharField(label=_("Occupation"), max_length=50, required=False)
    skills = forms.CharField(label=_("Skills"), max_length=200, required=False)
    health = forms.CharField(label=_("Health"), max_length=100, required=False)
    political_status = forms.CharField(label=_("Political status"), max_length=20, required=False)
    residence_status = forms.ChoiceField(label=_("Residence status"), choices=ResidenceStatus.choices,
                                         initial=ResidenceStatus.REGISTERED)

    TEXT = ("ethnicity", "education", "occupation", "skills", "health", "political_status")

    def __init__(self, *args, person=None, **kwargs):
        self.person = person
        if person is not None:
            kwargs.setdefault("initial", {
                "name": person.name, "relation_to_head": person.relation_to_head, "sex": person.sex,
                "birth_date": person.birth_date, "residence_status": person.residence_status,
                **{f: getattr(person, f) for f in self.TEXT}})
        super().__init__(*args, **kwargs)
        if person is not None:
            for name in ("id_number", "phone"):
                masked = getattr(person, name).masked
                if masked:
                    self.fields[name].help_text = _("Recorded: %(masked)s. Leave empty to keep it.") % {
                        "masked": masked}
            if person.id_number:
                del self.fields["sex"]
                del self.fields["birth_date"]

    def service_fields(self) -> dict:
        """What to hand the service: on a change, only what the form may set, without empty PII boxes."""
        data = {k: v for k, v in self.cleaned_data.items() if k in self.fields}
        for name in ("id_number", "phone"):
            if not data.get(name):
                data.pop(name, None)
        for name in ("sex", "birth_date"):
            if data.get(name) in ("", None):
                data.pop(name, None)
        return data


class RevealForm(forms.Form):
    field = forms.ChoiceField(choices=[("id_number", "id_number"), ("phone", "phone")])
    reason = forms.CharField(max_length=200, required=False)


class UploadForm(SpreadsheetUploadForm):
    max_upload_bytes = MAX_UPLOAD_BYTES
    file = forms.FileField(label=_("File"), help_text=_(".xlsx or .csv (UTF-8 or GB18030), one row per person"))
    skip_invalid = forms.BooleanField(
        label=_("Skip invalid rows: import the valid households, give back the rejected rows"), required=False)
