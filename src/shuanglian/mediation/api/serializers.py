"""Shapes of disputes, parties, mediators, sessions and agreements over the API."""

from django.urls import reverse
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from shuanglian.archives.api.serializers import MaskedField
from shuanglian.archives.choices import Sex
from shuanglian.matters import policies

from .. import selectors
from ..choices import MediationOutcome, PartyRole, Remedy
from ..models import Dispute, DisputeParty, MediationAgreement, MediationSession, Mediator


@extend_schema_field({"type": "string", "enum": PartyRole.values}, component_name="PartyRoleEnum")
class PartyRoleField(serializers.ChoiceField):
    """Named as its own schema component: accounts have a `role` too."""

    def __init__(self, **kwargs):
        super().__init__(choices=PartyRole.choices, **kwargs)


class MatterRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    level = serializers.CharField()
    grid = serializers.CharField(source="grid.code", default="", help_text="grid code")
    village = serializers.CharField(source="village.name", default="", help_text="village name")
    township = serializers.CharField(source="township.name", default="", help_text="township name")


class PartySerializer(serializers.ModelSerializer):
    role = PartyRoleField(read_only=True)
    id_number = MaskedField("id_number")
    phone = MaskedField("phone")

    class Meta:
        model = DisputeParty
        fields = ["id", "role", "name", "sex", "id_number", "phone", "address", "person"]
        read_only_fields = fields

    IDENTITIES = ("id_number", "phone")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # Omitted (not nulled) for a viewer who does not handle the matter: policies.may_see_party_identities.
        request = self.context.get("request")
        matter = instance.dispute.matter
        seen = self.context.setdefault("party_identities", {})
        if matter.pk not in seen:
            seen[matter.pk] = request is not None and policies.may_see_party_identities(request.user, matter)
        if not seen[matter.pk]:
            for name in self.IDENTITIES:
                data.pop(name, None)
        return data


class MediatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mediator
        fields = ["id", "name", "committee", "user"]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationSession
        fields = ["id", "held_on", "place", "notes"]
        read_only_fields = fields


class ConfirmationSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=list(selectors.WINDOW_LABELS), help_text=(
        "applied: applied for; open: the 30-day window is open; closing: it closes within 7 days; "
        "lapsed: it closed without an application"))
    deadline = serializers.DateField(help_text="the last day to apply: 30 days after the agreement took effect")
    days_left = serializers.IntegerField(allow_null=True, help_text="days from today to the deadline while open")


def _confirmation(agreement) -> dict | None:
    if agreement is None:
        return None
    window = selectors.confirmation_window(agreement)
    return {"state": window.state, "deadline": window.deadline, "days_left": window.days_left}


class AgreementSerializer(serializers.ModelSerializer):
    confirmation = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField(help_text="where the agreement PDF downloads")

    class Meta:
        model = MediationAgreement
        fields = ["number", "facts", "issues", "responsibilities", "terms", "performance", "effective_on",
                  "parties_signed", "mediator_signed", "copies", "confirmation_applied_on", "confirmation_result",
                  "confirmation", "pdf"]
        read_only_fields = fields

    @extend_schema_field(ConfirmationSerializer)
    def get_confirmation(self, obj) -> dict:
        return _confirmation(obj)

    def get_pdf(self, obj) -> str:
        return reverse("api-dispute-agreement-pdf", args=[obj.dispute_id])


def _agreement(dispute):
    try:
        return dispute.agreement
    except MediationAgreement.DoesNotExist:
        return None


class DisputeSerializer(serializers.ModelSerializer):
    """A row of the register: the dispute, its matter and where, its outcome, its agreement's number."""

    matter = MatterRefSerializer(read_only=True)
    parties = serializers.SerializerMethodField(help_text="party names, applicants first")
    agreement_number = serializers.SerializerMethodField()
    confirmation = serializers.SerializerMethodField()

    class Meta:
        model = Dispute
        fields = ["id", "matter", "screened_on", "outcome", "outcome_on", "remedies_told", "parties",
                  "agreement_number", "confirmation"]
        read_only_fields = fields

    def get_parties(self, obj) -> list[str]:
        return [p.name for p in obj.parties.all()]

    def get_agreement_number(self, obj) -> str | None:
        agreement = _agreement(obj)
        return agreement.number if agreement else None

    @extend_schema_field(ConfirmationSerializer(allow_null=True))
    def get_confirmation(self, obj) -> dict | None:
        return _confirmation(_agreement(obj))


class DisputeDetailSerializer(DisputeSerializer):
    parties = PartySerializer(many=True, read_only=True)
    mediators = MediatorSerializer(many=True, read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)
    agreement = serializers.SerializerMethodField()

    class Meta(DisputeSerializer.Meta):
        fields = [*DisputeSerializer.Meta.fields, "facts", "issues", "notes", "mediators", "sessions", "agreement"]
        read_only_fields = fields

    @extend_schema_field(AgreementSerializer(allow_null=True))
    def get_agreement(self, obj) -> dict | None:
        agreement = _agreement(obj)
        return AgreementSerializer(agreement, context=self.context).data if agreement else None


class StatsSerializer(serializers.Serializer):
    screened = serializers.IntegerField(help_text="disputes screened in the year, in your scope (under `within`)")
    mediated = serializers.IntegerField(help_text="of those, mediated successfully")
    success_rate = serializers.FloatField(allow_null=True, help_text="mediated / screened, 3 decimals; "
                                                                      "null when none were screened")


def _text(max_length: int | None = None, **kwargs):
    return serializers.CharField(required=False, allow_blank=True, default="", max_length=max_length,
                                 trim_whitespace=False, **kwargs)


class ScreenInput(serializers.Serializer):
    matter = serializers.IntegerField(help_text="id of a matter of type dispute")
    screened_on = serializers.DateField(required=False, allow_null=True, help_text="default: today")
    facts = _text()
    issues = _text()
    notes = _text()


class PartyInput(serializers.Serializer):
    role = PartyRoleField()
    name = _text(60, help_text="required unless `person` is given")
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True, default="",
                                  help_text="derived from the ID number when one is given")
    id_number = _text(30, write_only=True, help_text="18 characters (GB 11643); shown masked afterwards")
    phone = _text(30, write_only=True)
    address = _text(200)
    person = serializers.IntegerField(required=False, allow_null=True,
                                      help_text="an archives person id: name, ID number and phone default to theirs")


class MediatorInput(serializers.Serializer):
    name = _text(60, help_text="required unless `user` is given")
    committee = _text(100, help_text="default: the village's people's mediation committee")
    user = serializers.IntegerField(required=False, allow_null=True, help_text="the mediator's account, if any")


class ReasonInput(serializers.Serializer):
    reason = _text(help_text="which party refused the mediator, and why (Art. 23)")


class SessionInput(serializers.Serializer):
    held_on = serializers.DateField()
    place = _text(100)
    notes = _text(help_text="the work record of the session")


class ConcludeInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=MediationOutcome.choices)
    outcome_on = serializers.DateField(required=False, help_text="default: today")
    remedies_told = serializers.ListField(child=serializers.ChoiceField(choices=Remedy.choices), required=False,
                                         default=list, help_text="required when mediation failed (Art. 26)")
    notes = _text()


class AgreementInput(serializers.Serializer):
    facts = _text(help_text="main facts of the dispute (Art. 29)")
    issues = _text(help_text="the disputed issues")
    responsibilities = _text(help_text="the parties' responsibilities")
    terms = _text(help_text="the terms agreed")
    performance = _text(help_text="how and when the terms are performed")
    effective_on = serializers.DateField(help_text="the day the parties and the mediator signed it")
    parties_signed = serializers.BooleanField(default=False)
    mediator_signed = serializers.BooleanField(default=False)
    copies = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=99,
                                      help_text="default: one per party plus one kept")


class ConfirmationInput(serializers.Serializer):
    applied_on = serializers.DateField(help_text="within 30 days of the agreement taking effect (Art. 33)")


class ConfirmationResultInput(serializers.Serializer):
    result = _text(100, help_text="what the court decided")


class StatsQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100, help_text="default: this year")
    within = serializers.CharField(required=False, max_length=15, help_text="a division code in your scope")
