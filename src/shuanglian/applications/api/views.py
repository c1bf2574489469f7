"""The full-process service over /api/v1/: public points and catalog, scoped applications with one POST per
workflow action (409 `illegal_transition`), statistics, and the public status lookup."""
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shuanglian.core.api_views import error_responses
from shuanglian.core.exceptions import NotFound, ValidationFailed
from shuanglian.core.http import client_ip
from shuanglian.divisions.selectors import division_get_for_user

from .. import public, selectors, services
from ..filtersets import ApplicationFilterSet, ServiceItemFilterSet, ServicePointFilterSet
from ..models import Application, ServiceItem, ServicePoint, StaffPosting, Transition
from . import serializers as s

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
ACTION = OpenApiParameter("action_name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=s.ACTIONS)
WITHIN = OpenApiParameter("within", OpenApiTypes.STR, description="division code")


@extend_schema_view(
    list=extend_schema(summary="Service centers and agent points (public)"),
    retrieve=extend_schema(summary="One service point with its staff on duty (public)"),
)
class ServicePointViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ServicePointSerializer
    filterset_class = ServicePointFilterSet
    permission_classes = [AllowAny]
    authentication_classes = []  # public: no session, so no CSRF either
    queryset = (ServicePoint.objects.filter(is_active=True)
                .select_related("division", "township", "center")
                .prefetch_related(Prefetch("staff", queryset=StaffPosting.objects.order_by("id")))
                .order_by("division__code_key", "kind"))


class _CatalogPermission(IsAuthenticated):
    """Reading the catalog is public; changing it needs a login (the service checks the county office)."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or super().has_permission(request, view)


@extend_schema_view(
    list=extend_schema(summary="The service catalog (public guide)"),
    retrieve=extend_schema(summary="One service item: materials, steps, time limits (public)"),
    create=extend_schema(summary="Add a service item (county office)",
                         responses={201: s.ServiceItemSerializer, **error_responses(400, 401, 403)}),
    partial_update=extend_schema(summary="Change a service item (county office)",
                                 responses={200: s.ServiceItemSerializer, **error_responses(400, 401, 403, 404)}),
)
class ServiceItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ServiceItemSerializer
    filterset_class = ServiceItemFilterSet
    permission_classes = [_CatalogPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        rows = ServiceItem.objects.select_related("department").order_by("code")
        return rows if self.request.method not in SAFE_METHODS else rows.filter(is_active=True)

    def create(self, request, *args, **kwargs):
        data = s.ServiceItemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        d.pop("is_active", None)
        item = services.service_item_create(actor=request.user, **d)
        return Response(s.ServiceItemSerializer(item).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        data = s.ServiceItemSerializer(item, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = {k: v for k, v in data.validated_data.items() if k != "code"}
        item = services.service_item_update(actor=request.user, item=item, **changes)
        return Response(s.ServiceItemSerializer(item).data)


def _detail_queryset(user):
    return selectors.application_list_visible_to(user).prefetch_related(
        Prefetch("transitions", queryset=Transition.objects.order_by("at", "id")), "complaints")


@extend_schema_view(
    list=extend_schema(summary="Applications you may see", responses={200: s.ApplicationSerializer,
                                                                       **error_responses(401)}),
    retrieve=extend_schema(summary="One application with its timeline", parameters=[ID],
                           responses={200: s.ApplicationDetailSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Accept an application: a receipt number and a promised date",
                         request=s.ApplicationCreateInput,
                         responses={201: s.ApplicationDetailSerializer, **error_responses(400, 401, 403, 404)}),
)
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         viewsets.GenericViewSet):
    serializer_class = s.ApplicationSerializer
    filterset_class = ApplicationFilterSet
    queryset = Application.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.application_list_visible_to(self.request.user)

    def _render(self, pk, code=status.HTTP_200_OK):
        try:
            app = _detail_queryset(self.request.user).get(pk=pk)
        except Application.DoesNotExist:
            raise NotFound("application not found") from None
        return Response(s.ApplicationDetailSerializer(app, context=self.get_serializer_context()).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._render(kwargs["pk"])

    def create(self, request, *args, **kwargs):
        data = s.ApplicationCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        item = ServiceItem.objects.filter(pk=d["item"]).select_related("department").first()
        if item is None:
            raise ValidationFailed("No such service item.", details={"item": [d["item"]]})
        point = ServicePoint.objects.filter(pk=d["point"]).select_related("center", "division").first()
        if point is None:
            raise ValidationFailed("No such service point.", details={"point": [d["point"]]})
        app = services.application_accept(actor=request.user, item=item, point=point,
                                          applicant_name=d["applicant_name"], applicant_phone=d["applicant_phone"])
        return self._render(app.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="Take a workflow step", parameters=[ID, ACTION], request=s.ApplicationActionInput,
                   responses={200: s.ApplicationDetailSerializer, **error_responses(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)")
    def act(self, request, pk=None, action_name=None):
        app = selectors.application_get_for_user(request.user, pk)
        if action_name not in s.ACTIONS and action_name != "accept":
            raise NotFound(f"No action {action_name!r}; actions: {', '.join(s.ACTIONS)}.")
        data = s.ApplicationActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        department, handler = selectors.handle_targets(department=d.get("department"), handler=d.get("handler"))
        services.transition(actor=request.user, application=app, action=action_name, reason=d["reason"],
                            missing=d["missing"], result=d["result"], notified_by=d["notified_by"],
                            satisfaction=d["satisfaction"], department=department, handler=handler)
        return self._render(app.pk)

    @extend_schema(summary="Record a complaint against an application", parameters=[ID],
                   request=s.ComplaintSerializer,
                   responses={201: s.ComplaintSerializer, **error_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def complaints(self, request, pk=None):
        app = selectors.application_get_for_user(request.user, pk)
        data = s.ComplaintSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.complaint_record(actor=request.user, application=app, text=data.validated_data["text"])
        return Response(s.ComplaintSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Overdue and near-due applications per center, department or staff",
                   parameters=[WITHIN, OpenApiParameter("by", OpenApiTypes.STR, enum=["point", "department", "staff"])],
                   responses={200: s.SupervisionRowSerializer(many=True), **error_responses(400, 401, 404)})
    @action(detail=False, methods=["get"], url_path="supervision-board", pagination_class=None, filterset_class=None)
    def supervision_board(self, request):
        by = request.query_params.get("by", "point")
        if by not in ("point", "department", "staff"):
            raise ValidationFailed("by: point, department or staff.", details={"by": [by]})
        within = request.query_params.get("within")
        division = division_get_for_user(request.user, within) if within else None
        return Response(s.SupervisionRowSerializer(
            selectors.supervision_board(request.user, by=by, within=division), many=True).data)

    @extend_schema(summary="A month's closed applications per center: on-time rate and average duration",
                   parameters=[WITHIN, OpenApiParameter("year", OpenApiTypes.INT, required=True),
                               OpenApiParameter("month", OpenApiTypes.INT, required=True)],
                   responses={200: s.MonthlyRowSerializer(many=True), **error_responses(400, 401, 404)})
    @action(detail=False, methods=["get"], url_path="monthly", pagination_class=None, filterset_class=None)
    def monthly(self, request):
        try:
            year, month = int(request.query_params.get("year", "")), int(request.query_params.get("month", ""))
            if not (2000 <= year <= 2100 and 1 <= month <= 12):
                raise ValueError
        except ValueError:
            raise ValidationFailed("Give year and month, e.g. ?year=2026&month=3.",
                                   details={"year": ["required"], "month": ["required"]}) from None
        within = request.query_params.get("within")
        division = division_get_for_user(request.user, within) if within else None
        return Response(s.MonthlyRowSerializer(
            selectors.monthly_performance(request.user, year=year, month=month, within=division), many=True).data)


class ServiceStatsView(APIView):
    @extend_schema(summary="Service points, staff, applications by status and the on-time rate",
                   parameters=[WITHIN], responses={200: s.ServiceStatsSerializer, **error_responses(401, 404)})
    def get(self, request):
        within = request.query_params.get("within")
        division = division_get_for_user(request.user, within) if within else None
        return Response(s.ServiceStatsSerializer(selectors.service_stats(request.user, within=division)).data)


class PublicApplicationStatusView(APIView):
    """No login: the status and promised date for a receipt number and the phone's last four digits."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(summary="Public status lookup (no personal data; wrong guesses are throttled)",
                   parameters=[OpenApiParameter("receipt", OpenApiTypes.STR, OpenApiParameter.PATH),
                               OpenApiParameter("phone_last4", OpenApiTypes.STR, required=True)],
                   responses={200: s.PublicStatusSerializer, **error_responses(400, 404, 429)})
    def get(self, request, receipt):
        answer = public.lookup(receipt_no=receipt, phone_last4=request.query_params.get("phone_last4", ""),
                               client=client_ip(request))
        return Response(s.PublicStatusSerializer(answer).data)
