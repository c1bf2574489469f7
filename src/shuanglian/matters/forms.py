"""Forms for the matter pages. They check the input's shape; the services check the rules."""
from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from shuanglian.access.roles import REPORT_MATTERS, VIEW_ARCHIVES, VIEW_MATTERS
from shuanglian.access.scope import scope_for
from shuanglian.core.exceptions import DomainError
from shuanglian.divisions.choices import Level as DivisionLevel
from shuanglian.divisions.forms import LEVEL_LABELS, DateInput
from shuanglian.divisions.models import Division

from . import attachments
from .choices import Action, DeadlineState, Level, LimitUnit, MatterType, Satisfaction, Source, Status
from .models import Category

GRID_CHOICES_LIMIT = 300  # beyond this many grids, the form asks for the grid's code instead of a menu
WITHIN_CHOICES_LIMIT = 400


# ---------------------------------------------------------------- files


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern): cleans to a list, possibly empty."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []

    def validate(self, value):  # the list is validated file by file in clean()
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


def _check_files(files: list) -> list:
    if len(files) > attachments.MAX_FILES:
        raise forms.ValidationError(gettext("Attach at most %(n)d files at a time.") % {"n": attachments.MAX_FILES})
    errors = []
    for upload in files:
        try:
            attachments.check_upload(upload)
        except DomainError as exc:
            errors.append(exc.message)
    if errors:
        raise forms.ValidationError(errors)
    return files


def photo_field(*, camera: bool) -> MultipleFileField:
    attrs = {"accept": "image/*"} if camera else {"accept": "image/*,application/pdf"}
    if camera:
        attrs["capture"] = True
    return MultipleFileField(label=_("Photos") if camera else _("Photos or PDF files"), required=False,
                             widget=MultipleFileInput(attrs))


def _files_help() -> str:
    return gettext("Up to %(n)d files, %(mb)d MB each: photos, or PDF files.") % {
        "n": attachments.MAX_FILES, "mb": attachments.MAX_BYTES // (1024 * 1024)}


# ---------------------------------------------------------------- recording a matter


def category_choices(type_: str | None = None) -> list:
    """Active categories: those of one type, or all of them grouped by type (the form without JavaScript)."""
    rows = Category.objects.filter(is_active=True)
    if type_ in MatterType.values:
        return [("", "—"), *((c.code, c.name) for c in rows.filter(type=type_))]
    groups: dict[str, list] = {}
    for c in rows:
        groups.setdefault(c.type, []).append((c.code, c.name))
    return [("", "—"), *((MatterType(t).label, groups[t]) for t in MatterType.values if t in groups)]


def category_field(type_: str | None = None) -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Category"), required=False, choices=category_choices(type_))


class CategoryPickForm(forms.Form):
    """Only the category menu, for one type: what the matter form swaps in when the type changes."""

    def __init__(self, *args, type_: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = category_field(type_)


def report_grids(user) -> list[Division]:
    """Current grids where the user may record matters, up to the menu's limit (+1 to tell it is over)."""
    return list(Division.objects.current().filter(level=DivisionLevel.GRID)
                .filter(scope_for(user, REPORT_MATTERS).division_q())
                .select_related("parent").order_by("code_key")[:GRID_CHOICES_LIMIT + 1])


class MatterForm(forms.Form):
    """一事一表 on a phone: the grid is chosen for you when you serve one; the type is a row of big
    buttons; the category menu follows the type."""

    grid = forms.CharField(label=pgettext_lazy("division level", "Grid"))
    type = forms.ChoiceField(label=_("Type"), choices=MatterType.choices,
                             widget=forms.RadioSelect(attrs={"class": "chips"}))
    category = forms.ChoiceField(label=_("Category"), required=False)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.VISIT)
    title = forms.CharField(label=_("Title"), max_length=120,
                            help_text=_("In a few words, e.g. “村道破损需修补”."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    household = forms.CharField(label=_("Household number"), required=False, max_length=30,
                                help_text=_("Its number within the grid, as in the archives."))
    raised_by_name = forms.CharField(label=_("Raised by"), required=False, max_length=60)
    raised_by_phone = forms.CharField(label=_("Phone"), required=False, max_length=20,
                                      widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    attachments = photo_field(camera=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["attachments"].help_text = _files_help()
        grids = report_grids(user)
        self.grids = {g.code: g for g in grids}
        self.single_grid = grids[0] if len(grids) == 1 else None
        if self.single_grid is not None:
            self.fields["grid"].widget = forms.HiddenInput()
            self.fields["grid"].initial = self.single_grid.code
        elif len(grids) <= GRID_CHOICES_LIMIT:
            self.fields["grid"] = forms.ChoiceField(
                label=pgettext_lazy("division level", "Grid"),
                choices=[("", "—"), *((g.code, f"{g.parent.name} · {g.name}") for g in grids)])
        else:
            self.grids = None  # too many for a menu: looked up by code
            self.fields["grid"].help_text = _("The grid's code (15 digits), as shown on the division pages.")
            self.fields["grid"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        if scope_for(user, VIEW_ARCHIVES).empty:
            del self.fields["household"]  # households are found in the archives, which this user does not see
        type_ = self.data.get("type") if self.is_bound else self.initial.get("type")
        self.fields["category"].choices = category_choices(type_)

    def clean_grid(self):
        code = self.cleaned_data["grid"].strip()
        if self.grids is not None:
            grid = self.grids.get(code)
        else:
            grid = (Division.objects.current().filter(level=DivisionLevel.GRID, code=code)
                    .filter(scope_for(self.user, REPORT_MATTERS).division_q()).first())
        if grid is None:
            raise forms.ValidationError(_("Choose a grid where you may record matters."))
        return grid

    def clean_attachments(self):
        return _check_files(self.cleaned_data["attachments"])

    def clean_raised_by_phone(self):
        phone = re.sub(r"[\s-]", "", self.cleaned_data["raised_by_phone"])
        if phone and not re.fullmatch(r"\+?\d{5,20}", phone):
            raise forms.ValidationError(_("Enter the phone number in digits."))
        return phone


# ---------------------------------------------------------------- acting on a matter


# Per action: the label of its reason box (None: no box) and whether a box is shown at all.
REASON_LABELS = {
    Action.ACCEPT: _("Note"),
    Action.ASSIGN: _("Note"),
    Action.ESCALATE: _("Why it goes up"),
    Action.SEND_BACK: _("Why it goes back down"),
    Action.RESOLVE: None,
    Action.FOLLOW_UP: _("What the person said"),
    Action.CLOSE: _("Note"),
    Action.REOPEN: _("Why it is reopened"),
    Action.SUSPEND: _("What it waits for"),
    Action.RESUME: _("Note"),
}
ACTION_BUTTONS = {
    Action.ACCEPT: _("Accept"),
    Action.ASSIGN: _("Assign"),
    Action.ESCALATE: _("Escalate"),
    Action.SEND_BACK: _("Send back"),
    Action.RESOLVE: _("Record the result"),
    Action.FOLLOW_UP: _("Record the follow-up visit"),
    Action.CLOSE: _("Close"),
    Action.REOPEN: _("Reopen"),
    Action.SUSPEND: _("Suspend"),
    Action.RESUME: _("Resume"),
}
ACTION_TITLES = {
    Action.ACCEPT: _("Accept the matter"),
    Action.ASSIGN: _("Assign to a person or an organization"),
    Action.ESCALATE: _("Escalate one level up"),
    Action.SEND_BACK: _("Send back one level down"),
    Action.RESOLVE: _("Resolve"),
    Action.FOLLOW_UP: _("Follow-up visit"),
    Action.CLOSE: _("Close the matter"),
    Action.REOPEN: _("Reopen"),
    Action.SUSPEND: _("Suspend (the clock stops)"),
    Action.RESUME: _("Resume (the clock runs again)"),
}


class ActionForm(forms.Form):
    """One workflow action. Which boxes it has follows the transitions table: a reason where the table
    requires one, a person or an organization to assign to, a department when the county escalates, the
    result, the person's satisfaction."""

    def __init__(self, *args, action: str, reason_required: bool = False, users=(), organizations=(),
                 departments=None, **kwargs):
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        if action == Action.ASSIGN:
            self.fields["user"] = forms.ChoiceField(label=_("Person"), required=False,
                                                    choices=[("", "—"), *users])
            self.fields["organization"] = forms.ChoiceField(
                label=_("or organization"), required=False, choices=[("", "—"), *organizations],
                help_text=_("Choose a person, an organization, or both (a person of that organization)."))
        if action == Action.ESCALATE and departments is not None:
            self.fields["organization"] = forms.ChoiceField(label=_("Department"),
                                                            choices=[("", "—"), *departments])
        if action == Action.RESOLVE:
            self.fields["result"] = forms.CharField(label=_("How it was resolved"),
                                                    widget=forms.Textarea(attrs={"rows": 3}))
        if action == Action.FOLLOW_UP:
            self.fields["satisfaction"] = forms.ChoiceField(label=_("Is the person satisfied?"),
                                                            choices=Satisfaction.choices,
                                                            widget=forms.RadioSelect(attrs={"class": "chips"}))
        label = REASON_LABELS.get(action)
        if label is not None:
            help_text = ""
            if action == Action.CLOSE:
                help_text = _("Needed when the person was not satisfied.")
            self.fields["reason"] = forms.CharField(label=label, required=reason_required, max_length=2000,
                                                    help_text=help_text, widget=forms.Textarea(attrs={"rows": 2}))

    @property
    def title(self):
        return ACTION_TITLES.get(self.action, self.action)

    @property
    def button(self):
        return ACTION_BUTTONS.get(self.action, self.action)

    def clean(self):
        data = super().clean()
        if self.action == Action.ASSIGN and not data.get("user") and not data.get("organization"):
            raise forms.ValidationError(_("Choose who handles it: a person or an organization."))
        return data


class SuperviseForm(forms.Form):
    note = forms.CharField(label=_("Supervision note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("What the holders are asked to do, and by when. They are notified."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "supervise")
        super().__init__(*args, **kwargs)


class AttachForm(forms.Form):
    attachments = photo_field(camera=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "attach")
        super().__init__(*args, **kwargs)
        self.fields["attachments"].required = True
        self.fields["attachments"].help_text = _files_help()

    def clean_attachments(self):
        return _check_files(self.cleaned_data["attachments"])


# ---------------------------------------------------------------- the list's filters


class MatterFilterForm(forms.Form):
    """The list's filter boxes, labelled for people; the query itself is MatterFilterSet's."""

    q = forms.CharField(label=_("Number or title"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Any type")), *MatterType.choices])
    level = forms.ChoiceField(label=_("Held at"), required=False, choices=[("", _("Any level")), *Level.choices])
    deadline_state = forms.ChoiceField(label=_("Deadline"), required=False,
                                       choices=[("", _("Any")), *DeadlineState.choices])
    within = forms.ChoiceField(label=_("Area"), required=False)
    held_by_me = forms.BooleanField(label=_("Held by me"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), ("open", _("open (not closed)")), *Status.choices]
        within = within_choices(user)
        if within:
            self.fields["within"].choices = [("", _("All my area")), *within]
        else:
            del self.fields["within"]


def within_choices(user) -> list[tuple[str, str]]:
    """Townships, villages (and grids, if not too many) where the user sees matters: one query."""
    scope = scope_for(user, VIEW_MATTERS, via_organizations=False)
    if scope.empty:
        return []
    divisions = list(Division.objects.current().filter(scope.division_q())
                     .filter(level__in=(DivisionLevel.TOWNSHIP, DivisionLevel.VILLAGE, DivisionLevel.GRID))
                     .order_by("code_key").values_list("code", "name", "level")[:WITHIN_CHOICES_LIMIT * 10])
    if len(divisions) > WITHIN_CHOICES_LIMIT:
        divisions = [d for d in divisions if d[2] != DivisionLevel.GRID]
    indent = {DivisionLevel.TOWNSHIP: "", DivisionLevel.VILLAGE: "\u3000", DivisionLevel.GRID: "\u3000\u3000"}
    return [(code, f"{indent[level]}{name} · {LEVEL_LABELS[level]}") for code, name, level in divisions]


# ---------------------------------------------------------------- the county office's settings


class TimeLimitForm(forms.Form):
    amount = forms.IntegerField(label=_("Limit"), min_value=1, max_value=365)
    unit = forms.ChoiceField(label=_("Unit"), choices=LimitUnit.choices)
    warn_before = forms.IntegerField(label=_("Yellow card before the deadline"), min_value=0, max_value=364,
                                     help_text=_("In the same unit; less than the limit."))

    def clean(self):
        data = super().clean()
        if data.get("amount") is not None and data.get("warn_before") is not None \
                and data["warn_before"] >= data["amount"]:
            self.add_error("warn_before", gettext("The yellow card must come before the deadline: less than %(n)d.")
                           % {"n": data["amount"]})
        return data


class CategoryCreateForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=MatterType.choices)
    name = forms.CharField(label=_("Name"), max_length=60)
    code = forms.SlugField(label=_("Code"), max_length=40, required=False,
                           help_text=_("Latin letters, digits, - and _. Leave empty to make one."))
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, required=False,
                                  help_text=_("Smaller comes first in the menu."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)


class CategoryRenameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767)


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    is_working = forms.TypedChoiceField(
        label=_("The day is"), coerce=lambda v: v == "1", widget=forms.RadioSelect(attrs={"class": "chips"}),
        choices=[("0", _("a day off (holiday)")), ("1", _("a working day (make-up day)"))])
    name = forms.CharField(label=_("Name"), max_length=60, required=False, help_text=_("e.g. 春节, 台风停工"))
