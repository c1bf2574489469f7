"""The petition API's shapes. Identity and accusation materials go out only where the policies allow
(Art. 30); cadres see a masked name, an accusation's petitioner and content read as confidential."""
from django.utils.translation import gettext as _
from rest_framework import serializers

from .. import policies, services
from ..choices import CONFIDENTIAL, Action, Channel, Lodged
from ..deadlines import LIMITS

ACTIONS = [a.value for a in Action]


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class PetitionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    year = serializers.IntegerField()
    channel = serializers.CharField()
    category = serializers.CharField()
    subject = serializers.CharField(source="subject.name", default="")
    lodged_at = serializers.CharField()
    received_on = serializers.DateField()
    registered_at = serializers.DateTimeField()
    summary = serializers.CharField()
    person_times = serializers.IntegerField()
    division = serializers.SerializerMethodField()
    township = serializers.CharField(source="township.name", default="")
    handling_organization = serializers.CharField(source="handling_organization.name", default="")
    status = serializers.CharField()
    deadline_at = serializers.DateTimeField()
    deadline_state = serializers.CharField()
    extension_days = serializers.IntegerField()
    outcome = serializers.CharField()
    petitioner = serializers.SerializerMethodField(help_text="masked; 'confidential' for an accusation")

    def get_division(self, obj) -> str:
        return obj.division.code if obj.division_id and "division" in obj._state.fields_cache else ""

    def get_petitioner(self, obj) -> str:
        user = _user(self)
        if obj.confidential and not policies.may_see_identity(user, obj):
            return CONFIDENTIAL
        return services.masked_name(obj.petitioner_name)


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.CharField(source="actor_label")
    reason = serializers.CharField()
    details = serializers.JSONField()
    at = serializers.DateTimeField()


class PetitionDetailSerializer(PetitionSerializer):
    content = serializers.SerializerMethodField()
    accused = serializers.CharField()
    extension_approver = serializers.CharField()
    reply = serializers.SerializerMethodField()
    identity = serializers.SerializerMethodField(help_text="the petitioner, for those allowed; each read audited")
    timeline = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    clock = serializers.SerializerMethodField()

    def get_content(self, obj) -> str:
        if obj.confidential and not policies.may_see_identity(_user(self), obj):
            return CONFIDENTIAL
        return obj.content

    def get_reply(self, obj) -> dict:
        return {"request": obj.reply_request, "facts": obj.reply_facts, "reasons": obj.reply_reasons,
                "basis": obj.reply_basis, "outcome": obj.outcome, "replied_at": obj.replied_at}

    def get_identity(self, obj) -> dict | None:
        user = _user(self)
        if not policies.may_see_identity(user, obj):
            return None
        return services.petitioner_identity_read(actor=user, petition=obj)

    def get_timeline(self, obj) -> list:
        return TransitionSerializer(obj.transitions.order_by("at", "id"), many=True).data

    def get_actions(self, obj) -> list[str]:
        user = _user(self)
        if not policies.may_handle(user, obj):
            return []
        return services.WORKFLOW.allowed_actions(obj)

    def get_clock(self, obj) -> dict | None:
        limit = LIMITS.get(obj.status)
        if limit is None:
            return None
        return {"stage": obj.status, "days": limit.amount + (obj.extension_days if obj.status == "accepted" else 0),
                "deadline_at": obj.deadline_at, "yellow_at": obj.yellow_at, "state": obj.deadline_state}


class PetitionCreateInput(serializers.Serializer):
    division = serializers.CharField(help_text="code of the division the petition concerns")
    channel = serializers.ChoiceField(choices=Channel.choices)
    # Plain strings (the service refuses an unknown one naming the field): "category" and "outcome" name other
    # apps' choice sets in the schema.
    category = serializers.CharField(help_text="suggestion, accusation or complaint")
    subject = serializers.IntegerField(required=False, allow_null=True)
    lodged_at = serializers.ChoiceField(choices=Lodged.choices, default=Lodged.COUNTY)
    received_on = serializers.DateField()
    summary = serializers.CharField(max_length=200)
    content = serializers.CharField(required=False, allow_blank=True, default="")
    person = serializers.IntegerField(required=False, allow_null=True, help_text="a person in the archives")
    petitioner_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    petitioner_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    person_times = serializers.IntegerField(default=1, min_value=1)
    representatives = serializers.ListField(child=serializers.CharField(max_length=60), required=False, default=list)
    accused = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    accused_organization = serializers.IntegerField(required=False, allow_null=True)
    matter = serializers.IntegerField(required=False, allow_null=True, help_text="the matter it arose from")


class PetitionActionInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    organization = serializers.IntegerField(required=False, allow_null=True, help_text="route: the handling unit")
    handler = serializers.IntegerField(required=False, allow_null=True, help_text="route: the handling officer")
    days = serializers.IntegerField(required=False, default=0, help_text="extend: at most 30")
    approver = serializers.CharField(required=False, allow_blank=True, default="", help_text="extend")
    outcome = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text="reply and answers: support, explain or not_support")
    request = serializers.CharField(required=False, allow_blank=True, default="", help_text="reply")
    facts = serializers.CharField(required=False, allow_blank=True, default="", help_text="reply")
    reasons = serializers.CharField(required=False, allow_blank=True, default="", help_text="reply")
    basis = serializers.CharField(required=False, allow_blank=True, default="", help_text="reply: legal basis")


class PetitionStatsQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    within = serializers.CharField(error_messages={"required": _("Give the division code (within).")})


def no_action(name: str) -> str:
    return _("No action %(name)s; actions: %(actions)s.") % {"name": name, "actions": ", ".join(ACTIONS)}
