"""Forms of the team pages (import, units' staff, training, kits): they check the input's shape; the services
check the rules."""
import tempfile
from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuanglian.core.forms import SpreadsheetUploadForm
from shuanglian.core.tabular import read_table

from .choices import KitItem


class TeamImportForm(SpreadsheetUploadForm):
    max_upload_bytes = 10 * 1024 * 1024  # the whole county's team list (about 11,000 rows) is under 1 MB
    file = forms.FileField(label=_("File"), help_text=_(".xlsx or .csv (UTF-8 or GB18030), one row per post"))
    skip_invalid = forms.BooleanField(label=_("Skip invalid rows: import the valid rows, list the rejected ones"),
                                      required=False)


STAFF_HEADERS = {"姓名": "name", "联系电话": "phone", "类别": "category"}


def _rows_from_text(text: str) -> list[dict]:
    """Pasted lines of name, phone, category (commas, Chinese commas or tabs between); blank lines skipped."""
    rows = []
    for line, raw in enumerate(text.splitlines(), start=1):
        cells = [c.strip() for c in raw.replace("\t", ",").replace("，", ",").split(",")]
        if not any(cells) or cells[0] in STAFF_HEADERS:
            continue
        cells += [""] * 3
        rows.append({"line": line, "name": cells[0], "phone": cells[1], "category": cells[2]})
    return rows


def _rows_from_file(upload) -> list[dict]:
    """An uploaded .csv/.xlsx with the headers 姓名, 联系电话, 类别 (read by core.tabular)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        with open(path, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        header, rows = read_table(path)
    index = {STAFF_HEADERS[h]: i for i, h in enumerate(header) if h in STAFF_HEADERS}
    if len(index) < len(STAFF_HEADERS):
        raise forms.ValidationError(_("The file needs the columns 姓名, 联系电话 and 类别."))
    return [{"line": line, **{f: (cells[i] if i < len(cells) else "") for f, i in index.items()}}
            for line, cells in rows]


class StaffSubmitForm(forms.Form):
    organization = forms.TypedChoiceField(label=pgettext_lazy("organization", "Unit"), coerce=int)
    text = forms.CharField(label=_("Staff, one a line: name, phone, category"), required=False,
                           widget=forms.Textarea(attrs={"rows": 6, "placeholder": "张三, 13912345678, 医生"}))
    file = forms.FileField(label=_("or a file (.xlsx or .csv with 姓名, 联系电话, 类别)"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [(u.pk, u.name) for u in units]

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None and not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        data["rows"] = _rows_from_file(upload) if upload is not None else _rows_from_text(data.get("text") or "")
        if not data["rows"]:
            raise forms.ValidationError(_("Paste the list or choose a file."))
        return data


class StaffAssignForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Unit (empty: every unit)"), coerce=int, required=False,
                                          empty_value=None)
    within = forms.ChoiceField(label=_("Spread over the grids of"), required=False)
    pairs = forms.CharField(label=_("or assign explicitly, one a line: member number, grid code"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4, "placeholder": "12, 330803001001001"}))

    def __init__(self, *args, units=(), divisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", "—"), *[(u.pk, u.name) for u in units]]
        self.fields["within"].choices = [("", "—"), *[(d.code, f"{d.name} ({d.code})") for d in divisions]]

    def clean_pairs(self):
        pairs = []
        for raw in (self.cleaned_data.get("pairs") or "").splitlines():
            cells = [c.strip() for c in raw.replace("\t", ",").replace("，", ",").split(",")]
            if not any(cells):
                continue
            if len(cells) != 2 or not cells[0].isdigit():
                raise forms.ValidationError(_("Not a pair of member number and grid code: %(line)s") % {"line": raw})
            pairs.append({"member": int(cells[0]), "grid": cells[1]})
        return pairs

    def clean(self):
        data = super().clean()
        if not data.get("pairs") and not data.get("within"):
            raise forms.ValidationError(_("Choose where to spread the staff, or list pairs."))
        return data


class DateInput(forms.DateInput):
    input_type = "date"


class SessionForm(forms.Form):
    township = forms.ChoiceField(label=_("Township"))
    topic = forms.CharField(label=_("Topic"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    trainers = forms.ModelMultipleChoiceField(label=_("Trainers"), queryset=None, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, townships, lecturers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [(t.code, t.name) for t in townships]
        self.fields["trainers"].queryset = lecturers
        self.fields["trainers"].label_from_instance = lambda lecturer: f"{lecturer.name} · {lecturer.department.name}"


class AttendanceForm(forms.Form):
    """The ticked members; the page lists the township's members as checkboxes named `members`."""

    members = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(c["member"].pk, c["member"].name) for c in candidates]


class KitIssueForm(forms.Form):
    items = forms.MultipleChoiceField(label=_("Items"), choices=KitItem.choices, widget=forms.CheckboxSelectMultiple)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput, required=False)

    def __init__(self, *args, missing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(item, KitItem(item).label) for item in missing]
        self.fields["items"].initial = list(missing)


class KitReturnForm(forms.Form):
    issue = forms.IntegerField(widget=forms.HiddenInput)
    returned_on = forms.DateField(label=_("Returned on"), widget=DateInput, required=False)
