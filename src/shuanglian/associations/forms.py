from django import forms
from django.utils.translation import gettext_lazy as _

from shuanglian.teams.choices import Category

from .choices import Post


class AppointForm(forms.Form):
    post = forms.ChoiceField(label=_("Post"), choices=Post.choices)
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            help_text=_("The same phone is the same person as on a grid team."))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial=Category.OTHER)
    started_on = forms.DateField(label=_("Started on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class EndPostForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.CharField(label=_("Topic"), max_length=200)
    attendee_count = forms.IntegerField(label=_("Attendees"), min_value=0, required=False,
                                        help_text=_("Leave empty to count those ticked below."))
    attendees = forms.MultipleChoiceField(label=_("Post holders present"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("One decision per line."))

    def __init__(self, *args, holders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(str(p.member_id), f"{p.member.name} · {p.get_post_display()}")
                                            for p in holders]

    def clean_attendees(self):
        return [int(pk) for pk in self.cleaned_data["attendees"]]

    def clean_decisions(self):
        return [line for line in self.cleaned_data["decisions"].splitlines() if line.strip()]
