"""Disputes and mediation over the API: /api/v1/disputes/ and /api/v1/stats/disputes/.

Reads go through the dispute selectors (a dispute is seen where its matter is; out of scope reads as
404); writes call the dispute services, which decide who may act (403) and what the law requires (400,
409). Parties' ID numbers and phones are always the masked strings.
"""
import json

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from shuanglian.accounts.selectors import user_get_for_user
from shuanglian.archives.api.serializers import MaskedField
from shuanglian.archives.choices import Sex
from shuanglian.archives.export_views import content_disposition
from shuanglian.archives.selectors import person_get_for_user
from shuanglian.core import clock
from shuanglian.core.api_views import error_responses
from shuanglian.core.exceptions import NotFound
from shuanglian.divisions.selectors import division_get_for_user

from .. import agreement as agreement_pdf
from .. import disputes, policies
from ..choices import MediationOutcome, PartyRole, Remedy
from ..models import Dispute, DisputeParty, MediationAgreement, MediationSession, Mediator
from ..selectors import matter_get_for_user

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="dispute id")
MEDIATOR_ID = OpenApiParameter("mediator_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="mediator id")
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409)


# ---------------------------------------------------------------- output


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
    state = serializers.ChoiceField(choices=list(disputes.WINDOW_LABELS), help_text=(
        "applied: applied for; open: the 30-day window is open; closing: it closes within 7 days; "
        "lapsed: it closed without an application"))
    deadline = serializers.DateField(help_text="the last day to apply: 30 days after the agreement took effect")
    days_left = serializers.IntegerField(allow_null=True, help_text="days from today to the deadline while open")


def _confirmation(agreement) -> dict | None:
    if agreement is None:
        return None
    window = disputes.confirmation_window(agreement)
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


# ---------------------------------------------------------------- input: shapes only; the services decide


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


# ---------------------------------------------------------------- views


class PDFRenderer(BaseRenderer):
    """Lets a client ask for application/pdf; an error still comes as the JSON error body."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()


def _write(summary, request, response=None, code=status.HTTP_200_OK, parameters=(ID,)):
    return extend_schema(summary=summary, parameters=list(parameters), request=request,
                         responses={code: response or DisputeDetailSerializer, **WRITE_ERRORS})


@extend_schema_view(
    list=extend_schema(summary="Disputes you may see: the register (登记簿)",
                       responses={200: DisputeSerializer, **error_responses(400, 401)}),
    retrieve=extend_schema(summary="One dispute with its parties (masked), mediators, sessions and agreement",
                           parameters=[ID], responses={200: DisputeDetailSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Screen a dispute matter (排查): open its dispute record", request=ScreenInput,
                         responses={201: DisputeDetailSerializer, **WRITE_ERRORS}),
)
class DisputeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     viewsets.GenericViewSet):
    serializer_class = DisputeSerializer
    filterset_class = disputes.DisputeFilterSet
    lookup_value_regex = r"[0-9]+"
    queryset = Dispute.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return disputes.dispute_list_visible_to(self.request.user).prefetch_related("parties")

    def get_object(self):
        return disputes.dispute_get_for_user(self.request.user, self.kwargs["pk"])

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _render(self, pk, code=status.HTTP_200_OK):
        dispute = disputes.dispute_get_for_user(self.request.user, pk)
        return Response(DisputeDetailSerializer(dispute, context=self.get_serializer_context()).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._render(self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        data = self._input(ScreenInput)
        matter = matter_get_for_user(request.user, data.pop("matter"))
        dispute = disputes.dispute_screen(actor=request.user, matter=matter, **data)
        return self._render(dispute.pk, status.HTTP_201_CREATED)

    @_write("Add a party (ID number checked, stored encrypted, shown masked)", PartyInput, code=201)
    @action(detail=True, methods=["post"])
    def parties(self, request, pk=None):
        dispute = self.get_object()
        data = self._input(PartyInput)
        person_id = data.pop("person", None)
        person = person_get_for_user(request.user, person_id) if person_id else None
        disputes.dispute_party_add(actor=request.user, dispute=dispute, person=person, **data)
        return self._render(dispute.pk, status.HTTP_201_CREATED)

    @_write("Add a mediator (the parties may choose one, Art. 23)", MediatorInput, code=201)
    @action(detail=True, methods=["post"])
    def mediators(self, request, pk=None):
        dispute = self.get_object()
        data = self._input(MediatorInput)
        user_id = data.pop("user", None)
        user = None
        if user_id:
            user = request.user if user_id == request.user.pk else user_get_for_user(request.user, user_id)
        disputes.mediator_add(actor=request.user, dispute=dispute, user=user, **data)
        return self._render(dispute.pk, status.HTTP_201_CREATED)

    @_write("A party refuses a mediator: they leave the dispute, with the reason (Art. 23)", ReasonInput,
            parameters=(ID, MEDIATOR_ID))
    @action(detail=True, methods=["post"], url_path=r"mediators/(?P<mediator_id>[0-9]+)/remove",
            url_name="mediator-remove")
    def mediator_remove(self, request, pk=None, mediator_id=None):
        dispute = self.get_object()
        mediator = next((m for m in dispute.mediators.all() if m.pk == int(mediator_id)), None)
        if mediator is None:
            raise NotFound(_("No such mediator on this dispute."))
        data = self._input(ReasonInput)
        disputes.mediator_remove(actor=request.user, mediator=mediator, **data)
        return self._render(dispute.pk)

    @_write("Record a mediation session", SessionInput, code=201)
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        dispute = self.get_object()
        disputes.mediation_session_add(actor=request.user, dispute=dispute, **self._input(SessionInput))
        return self._render(dispute.pk, status.HTTP_201_CREATED)

    @_write("Record the signed mediation agreement (every Art. 29 element; numbered per year)", AgreementInput,
            code=201)
    @action(detail=True, methods=["post"])
    def agreement(self, request, pk=None):
        dispute = self.get_object()
        disputes.agreement_create(actor=request.user, dispute=dispute, **self._input(AgreementInput))
        return self._render(dispute.pk, status.HTTP_201_CREATED)

    @_write("Record the joint application for judicial confirmation (within 30 days, Art. 33)", ConfirmationInput)
    @action(detail=True, methods=["post"], url_path="agreement/confirmation", url_name="agreement-confirmation")
    def confirmation(self, request, pk=None):
        dispute = self.get_object()
        agreement = self._agreement_or_404(dispute)
        disputes.agreement_confirmation_applied(actor=request.user, agreement=agreement,
                                                **self._input(ConfirmationInput))
        return self._render(dispute.pk)

    @_write("Record the court's decision on judicial confirmation", ConfirmationResultInput)
    @action(detail=True, methods=["post"], url_path="agreement/confirmation-result",
            url_name="agreement-confirmation-result")
    def confirmation_result(self, request, pk=None):
        dispute = self.get_object()
        agreement = self._agreement_or_404(dispute)
        disputes.agreement_confirmation_decided(actor=request.user, agreement=agreement,
                                                **self._input(ConfirmationResultInput))
        return self._render(dispute.pk)

    @_write("Conclude: mediated (needs the agreement; resolves the matter), failed (needs the remedies told, "
            "Art. 26) or withdrawn", ConcludeInput)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        dispute = self.get_object()
        data = self._input(ConcludeInput)
        data["outcome_on"] = data.get("outcome_on") or clock.today()
        disputes.dispute_conclude(actor=request.user, dispute=dispute, **data)
        return self._render(dispute.pk)

    @extend_schema(summary="The mediation agreement as a PDF (人民调解协议书; ID numbers and phones masked)",
                   parameters=[ID], responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
                                               **error_responses(401, 404, 503)})
    @action(detail=True, methods=["get"], url_path="agreement/pdf", url_name="agreement-pdf",
            renderer_classes=[JSONRenderer, PDFRenderer])
    def agreement_pdf(self, request, pk=None):
        result = agreement_pdf.agreement_pdf(actor=request.user, dispute=self.get_object())
        response = HttpResponse(result.content, content_type=result.content_type)
        response["Content-Disposition"] = content_disposition(result.filename)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    def _agreement_or_404(self, dispute):
        agreement = _agreement(dispute)
        if agreement is None:
            raise NotFound(_("This dispute has no mediation agreement."))
        return agreement


class DisputeStatsView(APIView):
    """Disputes screened in a year and mediated successfully, in the caller's scope: the seed's 4,526 / 4,421."""

    @extend_schema(summary="Dispute statistics: screened, mediated, success rate", parameters=[StatsQuery],
                   responses={200: StatsSerializer, **error_responses(400, 401, 404)})
    def get(self, request):
        query = StatsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or clock.today().year
        code = query.validated_data.get("within")
        within = division_get_for_user(request.user, code.strip()) if code else None  # out of scope: 404
        return Response(StatsSerializer(disputes.dispute_stats(request.user, year, within=within)).data)
