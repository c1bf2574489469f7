"""Form pieces shared by modules."""
from django import forms
from django.utils.translation import gettext_lazy as _


class SpreadsheetUploadForm(forms.Form):
    """An import upload (.xlsx or .csv) with the two options every import has. Subclasses set the size limit
    and may relabel the fields."""

    max_upload_bytes = 10 * 1024 * 1024
    file = forms.FileField(label=_("File"), help_text=_(".xlsx or .csv (UTF-8 or GB18030)"))
    dry_run = forms.BooleanField(label=_("Dry run: check every row, write nothing"), required=False)
    skip_invalid = forms.BooleanField(label=_("Skip invalid rows"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        if upload.size > self.max_upload_bytes:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB; split it by township.")
                                        % {"mb": self.max_upload_bytes // (1024 * 1024)})
        return upload


def textarea_field(label, required: bool = True, **kwargs) -> forms.CharField:
    """A three-row text box, the forms' one shape for free text (notes, facts, summaries)."""
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 3}), **kwargs)
