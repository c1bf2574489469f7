"""Disputes and mediation over the API: /api/v1/disputes/ and /api/v1/stats/disputes/.

Reads go through the dispute selectors (a dispute is seen where its matter is; out of scope reads as
404); writes call the dispute services, which decide who may act (403) and what the law requires (400,
409). Parties' ID numbers and phones are always the masked strings.
"""
import json

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from shuanglian.accounts.selectors import user_get_for_user
from shuanglian.archives.export_views import content_disposition
from shuanglian.archives.selectors import person_get_for_user
from shuanglian.core import clock
from shuanglian.core.api_views import error_responses
from shuanglian.core.exceptions import NotFound
from shuanglian.divisions.selectors import division_get_for_user
from shuanglian.matters.selectors import matter_get_for_user

from .. import agreement as agreement_pdf
from .. import filtersets, selectors, services
from ..models import Dispute
from .serializers import (
    AgreementInput,
    ConcludeInput,
    ConfirmationInput,
    ConfirmationResultInput,
    DisputeDetailSerializer,
    DisputeSerializer,
    MediatorInput,
    PartyInput,
    ReasonInput,
    ScreenInput,
    SessionInput,
    StatsQuery,
    StatsSerializer,
    _agreement,
)

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="dispute id")
MEDIATOR_ID = OpenApiParameter("mediator_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="mediator id")
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409)


# ---------------------------------------------------------------- output


# ---------------------------------------------------------------- input: shapes only; the services decide


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
    filterset_class = filtersets.DisputeFilterSet
    lookup_value_regex = r"[0-9]+"
    queryset = Dispute.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return selectors.dispute_list_visible_to(self.request.user).prefetch_related("parties")

    def get_object(self):
        return selectors.dispute_get_for_user(self.request.user, self.kwargs["pk"])

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _render(self, pk, code=status.HTTP_200_OK):
        dispute = selectors.dispute_get_for_user(self.request.user, pk)
        return Response(DisputeDetailSerializer(dispute, context=self.get_serializer_context()).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._render(self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        data = self._input(ScreenInput)
        matter = matter_get_for_user(request.user, data.pop("matter"))
        dispute = services.dispute_screen(actor=request.user, matter=matter, **data)
        return self._render(dispute.pk, status.HTTP_201_CREATED)

    @_write("Add a party (ID number checked, stored encrypted, shown masked)", PartyInput, code=201)
    @action(detail=True, methods=["post"])
    def parties(self, request, pk=None):
        dispute = self.get_object()
        data = self._input(PartyInput)
        person_id = data.pop("person", None)
        person = person_get_for_user(request.user, person_id) if person_id else None
        services.dispute_party_add(actor=request.user, dispute=dispute, person=person, **data)
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
        services.mediator_add(actor=request.user, dispute=dispute, user=user, **data)
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
        services.mediator_remove(actor=request.user, mediator=mediator, **data)
        return self._render(dispute.pk)

    @_write("Record a mediation session", SessionInput, code=201)
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        dispute = self.get_object()
        services.mediation_session_add(actor=request.user, dispute=dispute, **self._input(SessionInput))
        return self._render(dispute.pk, status.HTTP_201_CREATED)

    @_write("Record the signed mediation agreement (every Art. 29 element; numbered per year)", AgreementInput,
            code=201)
    @action(detail=True, methods=["post"])
    def agreement(self, request, pk=None):
        dispute = self.get_object()
        services.agreement_create(actor=request.user, dispute=dispute, **self._input(AgreementInput))
        return self._render(dispute.pk, status.HTTP_201_CREATED)

    @_write("Record the joint application for judicial confirmation (within 30 days, Art. 33)", ConfirmationInput)
    @action(detail=True, methods=["post"], url_path="agreement/confirmation", url_name="agreement-confirmation")
    def confirmation(self, request, pk=None):
        dispute = self.get_object()
        agreement = self._agreement_or_404(dispute)
        services.agreement_confirmation_applied(actor=request.user, agreement=agreement,
                                                **self._input(ConfirmationInput))
        return self._render(dispute.pk)

    @_write("Record the court's decision on judicial confirmation", ConfirmationResultInput)
    @action(detail=True, methods=["post"], url_path="agreement/confirmation-result",
            url_name="agreement-confirmation-result")
    def confirmation_result(self, request, pk=None):
        dispute = self.get_object()
        agreement = self._agreement_or_404(dispute)
        services.agreement_confirmation_decided(actor=request.user, agreement=agreement,
                                                **self._input(ConfirmationResultInput))
        return self._render(dispute.pk)

    @_write("Conclude: mediated (needs the agreement; resolves the matter), failed (needs the remedies told, "
            "Art. 26) or withdrawn", ConcludeInput)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        dispute = self.get_object()
        data = self._input(ConcludeInput)
        data["outcome_on"] = data.get("outcome_on") or clock.today()
        services.dispute_conclude(actor=request.user, dispute=dispute, **data)
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
        return Response(StatsSerializer(selectors.dispute_stats(request.user, year, within=within)).data)
