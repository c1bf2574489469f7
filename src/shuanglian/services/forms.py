from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ServiceItem


class AcceptForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Service item"), queryset=ServiceItem.objects.none())
    applicant_name = forms.CharField(label=_("Applicant"), max_length=50)
    applicant_phone = forms.RegexField(label=_("Phone"), regex=r"^\+?[0-9 \-]{7,20}$", max_length=20)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items if items is not None else ServiceItem.objects.filter(is_active=True)
