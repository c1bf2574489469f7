"""Forms for the restructuring page. They check the input's shape; the services check the rules."""
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuanglian.core import clock
from shuanglian.core.typing import StrOrPromise

from .choices import KINDS_BY_LEVEL, Kind, Level, child_level
from .models import Division, DivisionQuerySet
from .selectors import division_list_visible_to

# How the pages name each level. The model's choice labels share their words with the kinds
# ("village" is a level and a kind of village), which Chinese names differently: 行政村（社区） vs 行政村.
LEVEL_LABELS: dict[str, StrOrPromise] = {
    Level.PROVINCE: pgettext_lazy("division level", "Province"),
    Level.CITY: pgettext_lazy("division level", "City"),
    Level.COUNTY: pgettext_lazy("division level", "County"),
    Level.TOWNSHIP: pgettext_lazy("division level", "Township"),
    Level.VILLAGE: pgettext_lazy("division level", "Village"),
    Level.GRID: pgettext_lazy("division level", "Grid"),
}


# Beyond this many divisions, a list filter's area menu lists townships and villages only.
WITHIN_CHOICES_LIMIT = 400


def within_filter_choices(divisions: DivisionQuerySet) -> list[tuple[str, str]]:
    """A list filter's area menu (`within`) over the divisions given (those the user sees records in):
    townships, villages and, if not too many, grids, indented under each other, in one query. Report pages
    pick among counties, townships and villages instead: selectors.within_choices."""
    rows = list(divisions.current().filter(level__in=(Level.TOWNSHIP, Level.VILLAGE, Level.GRID))
                .order_by("code_key").values_list("code", "name", "level")[:WITHIN_CHOICES_LIMIT * 10])
    if len(rows) > WITHIN_CHOICES_LIMIT:
        rows = [r for r in rows if r[2] != Level.GRID]
    indent = {Level.TOWNSHIP: "", Level.VILLAGE: "\u3000", Level.GRID: "\u3000\u3000"}
    return [(code, f"{indent[level]}{name} · {LEVEL_LABELS[level]}") for code, name, level in rows]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RestructureForm(forms.Form):
    """Every restructuring takes effect on a day (today unless told); most also record a reason."""

    effective_on = forms.DateField(label=_("Effective date"), widget=DateInput, initial=clock.today,
                                   help_text=_("The day the change takes effect; today or earlier."))

    def __init__(self, *args, division: Division, user, **kwargs):
        self.division = division
        self.user = user
        super().__init__(*args, **kwargs)


class ReasonMixin(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Recorded in the audit log, e.g. the decision's document number."))


class RenameForm(RestructureForm):
    name = forms.CharField(label=_("New name"), max_length=100)
    field_order = ["name", "effective_on"]


class CreateChildForm(RestructureForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.RegexField(label=_("Code"), regex=r"^\d+$", required=False,
                            help_text=_("Leave empty to take the next free code."))
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             help_text=_("Leave empty to derive it from the code."))
    planned_households = forms.IntegerField(label=_("Planned households"), min_value=1, required=False,
                                            help_text=_("A grid usually has 30 to 50 households."))
    field_order = ["name", "code", "kind", "planned_households", "effective_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        level = child_level(self.division.level)
        kinds = KINDS_BY_LEVEL.get(level, set()) if level else set()
        if kinds:
            cast(forms.ChoiceField, self.fields["kind"]).choices = [("", "—")] + [(k.value, k.label) for k in Kind if k in kinds]
        else:
            del self.fields["kind"]
        if level != Level.GRID:
            del self.fields["planned_households"]


class MergeVillagesForm(ReasonMixin, RestructureForm):
    """N villages into this one: the sources are the other current villages of its township."""

    sources = forms.ModelMultipleChoiceField(label=_("Villages to merge into this one"), queryset=Division.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)
    field_order = ["sources", "effective_on", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sources = cast(forms.ModelMultipleChoiceField, self.fields["sources"])
        sources.queryset = (
            division_list_visible_to(self.user).filter(level=Level.VILLAGE, parent_id=self.division.parent_id)
            .exclude(pk=self.division.pk).order_by("code"))
        # Django reads label_from_instance per field instance; the stubs see only the method.
        sources.label_from_instance = lambda d: f"{d.name} ({d.code})"  # type: ignore[method-assign,assignment]


class MoveGridForm(ReasonMixin, RestructureForm):
    village = forms.ModelChoiceField(label=_("Move to village"), queryset=Division.objects.none())
    field_order = ["village", "effective_on", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        village = cast(forms.ModelChoiceField, self.fields["village"])
        village.queryset = (
            division_list_visible_to(self.user).filter(level=Level.VILLAGE).exclude(pk=self.division.parent_id)
            .select_related("parent").order_by("code"))
        village.label_from_instance = (  # type: ignore[method-assign]
            lambda d: f"{d.parent.name} / {d.name} ({d.code})" if d.parent_id else f"{d.name} ({d.code})")  # type: ignore[assignment]


class SplitGridForm(RestructureForm):
    names = forms.CharField(label=_("Names of the new grids"), widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("One name a line. This grid keeps its code and records."))
    planned_households = forms.CharField(
        label=_("Planned households"), required=False,
        help_text=_("Numbers separated by commas: first this grid, then each new grid in order."))
    field_order = ["names", "planned_households", "effective_on"]

    def clean_names(self):
        names = [line.strip() for line in self.cleaned_data["names"].splitlines() if line.strip()]
        if not names:
            raise forms.ValidationError(_("Name at least one new grid."))
        return names

    def clean_planned_households(self):
        raw = self.cleaned_data["planned_households"].replace("，", ",").strip()
        if not raw:
            return []
        try:
            numbers = [int(part) for part in raw.split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("Enter whole numbers separated by commas.")) from exc
        if any(n < 1 for n in numbers):
            raise forms.ValidationError(_("Enter whole numbers separated by commas."))
        return numbers


class RetireForm(ReasonMixin, RestructureForm):
    confirm = forms.BooleanField(label=_("Yes, retire this division"))
    field_order = ["effective_on", "reason", "confirm"]


class DivisionSearchForm(forms.Form):
    """The search box's fields, labelled for people; the query itself is DivisionFilterSet's."""

    q = forms.CharField(label=_("Name or code"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False,
                              choices=[("", _("All levels"))] + [
                                  (lv.value, LEVEL_LABELS[lv]) for lv in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID)])
