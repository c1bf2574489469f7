from django import forms
from django.utils.translation import gettext_lazy as _

from shuanglian.organizations.choices import OrganizationKind
from shuanglian.organizations.models import Organization

from .choices import AcceptedAt, Action, NotifiedBy, Satisfaction, Status
from .models import ServiceItem


class AcceptForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Service item"), queryset=ServiceItem.objects.none())
    applicant_name = forms.CharField(label=_("Applicant"), max_length=50)
    applicant_phone = forms.RegexField(label=_("Phone"), regex=r"^\+?[0-9 \-]{7,20}$", max_length=20)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items if items is not None else ServiceItem.objects.filter(is_active=True)


class QueueFilterForm(forms.Form):
    """The queue's filter boxes, labelled for people; the query itself is ApplicationFilterSet's."""

    at_point = forms.ChoiceField(label=_("Service point"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    deadline = forms.ChoiceField(label=_("Deadline"), required=False, choices=[
        ("", _("Any")), ("overdue", _("overdue")), ("near_due", _("due within 2 working days")), ("fine", _("fine"))])
    q = forms.CharField(label=_("Receipt number"), required=False, max_length=20)

    def __init__(self, *args, points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *Status.choices]
        self.fields["at_point"].choices = [("", _("All I may see")), *((p.pk, p.name) for p in points)]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


ACTION_TITLES = {
    Action.FORWARD: _("Forward to the service center"),
    Action.HANDLE: _("Handle (assign the department)"),
    Action.REQUEST_MATERIALS: _("Ask for missing materials (one-time notice)"),
    Action.MATERIALS_RECEIVED: _("Materials received"),
    Action.REPLY: _("Reply with the result"),
    Action.REFUSE: _("Refuse"),
    Action.RETURN: _("Return"),
}


class ApplicationActionForm(forms.Form):
    """One workflow step. Its boxes follow the step: a department and handler to handle, every missing
    material at once, the result and how the applicant was told, a reason where the table requires one."""

    def __init__(self, *args, action: str, app, departments=(), handlers=(), **kwargs):
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        if action == Action.HANDLE:
            self.fields["department"] = forms.ChoiceField(
                label=_("Department"), required=False, choices=[("", _("the item's department")), *departments])
            self.fields["handler"] = forms.ChoiceField(label=_("Handled by"), required=False,
                                                       choices=[("", _("me")), *handlers])
        if action == Action.REQUEST_MATERIALS:
            self.fields["missing"] = forms.MultipleChoiceField(
                label=_("Missing materials"), required=False, widget=forms.CheckboxSelectMultiple,
                choices=[(m, m) for m in app.item.materials])
            self.fields["other"] = forms.CharField(
                label=_("Other missing items, one per line"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}))
        if action == Action.REPLY:
            self.fields["result"] = forms.CharField(label=_("Result"), max_length=2000,
                                                    widget=forms.Textarea(attrs={"rows": 3}))
            self.fields["notified_by"] = forms.ChoiceField(label=_("How the applicant was told"),
                                                           choices=NotifiedBy.choices)
            self.fields["satisfaction"] = forms.ChoiceField(label=_("Satisfaction"), required=False,
                                                            choices=[("", "—"), *Satisfaction.choices])
        if action in (Action.REFUSE, Action.RETURN):
            self.fields["reason"] = forms.CharField(label=_("Reason"), max_length=2000,
                                                    widget=forms.Textarea(attrs={"rows": 2}))

    @property
    def title(self):
        return ACTION_TITLES.get(self.action, self.action)

    @property
    def button(self):
        return Action(self.action).label.capitalize() if self.action in Action.values else self.action

    def missing(self) -> list[str]:
        """The ticked materials and the typed ones, in that order, each once."""
        data = self.cleaned_data
        return list(dict.fromkeys([*data.get("missing", []), *_lines(data.get("other", ""))]))


class ComplaintForm(forms.Form):
    """Posted to the application's page like a step (action "complaint"), with the same form fragment."""

    action = "complaint"
    button = _("Record the complaint")
    text = forms.CharField(label=_("Complaint"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("What the applicant complains about: slow, rude, asked twice for materials..."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "complaint")
        super().__init__(*args, **kwargs)


class ComplaintResolveForm(forms.Form):
    """How one complaint was resolved; one form per open complaint, told apart by its prefix."""

    action = "resolve_complaint"
    button = _("Resolve")
    complaint = forms.IntegerField(widget=forms.HiddenInput)
    resolution = forms.CharField(label=_("How it was resolved"), max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, complaint_id: int, **kwargs):
        kwargs.setdefault("prefix", f"resolve-{complaint_id}")
        kwargs.setdefault("initial", {"complaint": complaint_id})
        super().__init__(*args, **kwargs)
        self.complaint_id = complaint_id
        self.fields["complaint"].widget.attrs["id"] = f"id_{self.prefix}-complaint"

    def add_prefix(self, field_name):
        # The page tells which complaint a post is about before it builds the form: that box has no prefix.
        return field_name if field_name == "complaint" else super().add_prefix(field_name)


class ServiceItemForm(forms.Form):
    """The item editor. Materials and steps are one per line; the rule promised <= legal is the service's
    (its message lands on the promised time limit)."""

    code = forms.CharField(label=_("Code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=100)
    department = forms.ModelChoiceField(label=_("Responsible department"), queryset=None)
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    materials = forms.CharField(label=_("Required materials, one per line"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}))
    steps = forms.CharField(label=_("Steps, one per line"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    legal_days = forms.IntegerField(label=_("Legal time limit (working days)"), min_value=1, max_value=365)
    promised_days = forms.IntegerField(label=_("Promised time limit (working days)"), min_value=1, max_value=365,
                                       help_text=_("Never longer than the legal time limit."))
    fees = forms.CharField(label=_("Fees"), required=False, max_length=200)
    accepted_at = forms.ChoiceField(label=_("Where accepted"), choices=AcceptedAt.choices)
    is_active = forms.BooleanField(label=_("Offered (shown in the guide)"), required=False, initial=True)

    def __init__(self, *args, item=None, **kwargs):
        if item is not None:
            kwargs.setdefault("initial", {
                "code": item.code, "name": item.name, "department": item.department_id,
                "conditions": item.conditions, "materials": "\n".join(item.materials),
                "steps": "\n".join(item.steps), "legal_days": item.legal_days,
                "promised_days": item.promised_days, "fees": item.fees, "accepted_at": item.accepted_at,
                "is_active": item.is_active})
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Organization.objects.filter(
            kind=OrganizationKind.DEPARTMENT, is_active=True).order_by("name")
        if item is not None:
            self.fields["code"].disabled = True  # receipts and the guide's anchors name it

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data["materials"], data["steps"] = _lines(data["materials"]), _lines(data["steps"])
        return data


class MonthForm(forms.Form):
    month = forms.DateField(label=_("Month"), required=False, input_formats=["%Y-%m"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
