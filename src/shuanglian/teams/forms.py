from django import forms
from django.utils.translation import gettext_lazy as _

from shuanglian.core.forms import SpreadsheetUploadForm


class TeamImportForm(SpreadsheetUploadForm):
    max_upload_bytes = 10 * 1024 * 1024  # the whole county's team list (about 11,000 rows) is under 1 MB
    file = forms.FileField(label=_("File"), help_text=_(".xlsx or .csv (UTF-8 or GB18030), one row per post"))
    skip_invalid = forms.BooleanField(label=_("Skip invalid rows: import the valid rows, list the rejected ones"),
                                      required=False)
