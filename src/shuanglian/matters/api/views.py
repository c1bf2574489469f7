"""Matters over /api/v1/matters/: scoped lists and details, one POST per workflow action (409
`illegal_transition` when the status does not allow it), supervision, time limits and categories."""
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from shuanglian.accounts.models import User
from shuanglian.core.api_views import error_responses
from shuanglian.core.exceptions import NotFound, ValidationFailed
from shuanglian.divisions.selectors import division_get_for_user
from shuanglian.organizations.models import Organization

from .. import deadlines, selectors, services
from ..attachments import attachment_add
from ..choices import Action
from ..filtersets import MatterFilterSet
from ..models import Category, Matter, TimeLimit, Transition
from . import serializers as s

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
ACTION = OpenApiParameter("action_name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=s.ACTIONS)


def _detail_queryset(user):
    return selectors.matter_list_visible_to(user).select_related("county").prefetch_related(
        Prefetch("transitions", queryset=Transition.objects.order_by("at", "id")), "supervisions__raised_by",
        "persons", "attachments")


@extend_schema_view(
    list=extend_schema(summary="Matters you may see", responses={200: s.MatterSerializer, **error_responses(401)}),
    retrieve=extend_schema(summary="One matter with its timeline and the actions you may take", parameters=[ID],
                           responses={200: s.MatterDetailSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Record a matter at a grid (one form per matter)", request=s.MatterCreateInput,
                         responses={201: s.MatterDetailSerializer, **error_responses(400, 401, 403, 404)}),
)
class MatterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    serializer_class = s.MatterSerializer
    filterset_class = MatterFilterSet
    queryset = Matter.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.matter_list_visible_to(self.request.user)

    def _render(self, pk, code=status.HTTP_200_OK):
        try:
            matter = _detail_queryset(self.request.user).get(pk=pk)
        except Matter.DoesNotExist:
            raise NotFound("matter not found") from None
        return Response(s.MatterDetailSerializer(matter, context=self.get_serializer_context()).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._render(kwargs["pk"])

    def create(self, request, *args, **kwargs):
        data = s.MatterCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        grid = division_get_for_user(request.user, d.pop("grid"))
        household, persons, contact_day, visit = selectors.report_links_for_user(
            request.user, grid=grid, household=d.get("household"), persons=d.get("persons") or [],
            contact_day=d.get("contact_day"), visit=d.get("visit"))
        matter = services.matter_report(
            actor=request.user, grid=grid, type=d["type"], source=d["source"], title=d["title"],
            description=d["description"], category=d.get("category") or None, household=household, persons=persons,
            raised_by_name=d["raised_by_name"], raised_by_phone=d["raised_by_phone"], contact_day=contact_day,
            visit=visit)
        return self._render(matter.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="Take a workflow action", parameters=[ID, ACTION], request=s.ActionInput,
                   responses={200: s.MatterDetailSerializer, **error_responses(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)")
    def act(self, request, pk=None, action_name=None):
        matter = selectors.matter_get_for_user(request.user, pk)
        if action_name not in s.ACTIONS:
            raise NotFound(f"No action {action_name!r}; actions: {', '.join(s.ACTIONS)}.")
        data = s.ActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        user = organization = None
        if d.get("user"):
            user = User.objects.filter(pk=d["user"], is_active=True).first()
            if user is None:
                raise ValidationFailed("No such active user.", details={"user": [d["user"]]})
        if d.get("organization"):
            organization = Organization.objects.select_related("division").filter(pk=d["organization"]).first()
            if organization is None:
                raise ValidationFailed("No such organization.", details={"organization": [d["organization"]]})
        services.matter_act(actor=request.user, matter=matter, action=Action(action_name), reason=d["reason"],
                            user=user, organization=organization, result=d["result"], satisfaction=d["satisfaction"])
        return self._render(matter.pk)

    @extend_schema(summary="Attach a photo or a PDF", parameters=[ID], request={"multipart/form-data": s.AttachmentInput},
                   responses={201: s.AttachmentSerializer, **error_responses(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        matter = selectors.matter_get_for_user(request.user, pk)
        data = s.AttachmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        row = attachment_add(actor=request.user, matter=matter, upload=data.validated_data["file"])
        return Response(s.AttachmentSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Order supervision (督办)", parameters=[ID], request=s.SuperviseInput,
                   responses={201: s.SupervisionSerializer, **error_responses(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        matter = selectors.matter_get_for_user(request.user, pk)
        data = s.SuperviseInput(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.matter_supervise(actor=request.user, matter=matter, note=data.validated_data["note"])
        return Response(s.SupervisionSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Yellow and red matters per township (the supervision board)",
                   parameters=[OpenApiParameter("within", OpenApiTypes.STR, description="division code")],
                   responses={200: s.SupervisionBoardRow(many=True), **error_responses(401, 404)})
    @action(detail=False, methods=["get"], url_path="supervision-board", pagination_class=None,
            filterset_class=None)
    def supervision_board(self, request):
        within = request.query_params.get("within")
        division = division_get_for_user(request.user, within) if within else None
        rows = selectors.supervision_board(request.user, within=division)
        return Response(s.SupervisionBoardRow(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Matter categories"),
    create=extend_schema(summary="Add a category (county office)", responses={201: s.CategorySerializer,
                                                                             **error_responses(400, 403, 409)}),
    partial_update=extend_schema(summary="Rename, reorder or retire a category (county office)"),
)
class CategoryViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                      viewsets.GenericViewSet):
    serializer_class = s.CategorySerializer
    queryset = Category.objects.all()
    pagination_class = None
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = s.CategorySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        row = services.category_create(actor=request.user, type=d["type"], code=d["code"], name=d["name"],
                                       position=d.get("position", 100))
        return Response(s.CategorySerializer(row).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        category = self.get_object()
        fields = {k: v for k, v in request.data.items() if k in ("name", "position", "is_active")}
        row = services.category_update(actor=request.user, category=category, **fields)
        return Response(s.CategorySerializer(row).data)


class TimeLimitView(APIView):
    """The time-limit table: every level x type x stage, defaults unless the county office set it."""

    @extend_schema(summary="The time-limit table", responses={200: s.TimeLimitSerializer(many=True)})
    def get(self, request):
        custom = set(TimeLimit.objects.values_list("level", "type", "stage"))
        rows = [{"level": lv, "type": t, "stage": st, "amount": lim.amount, "unit": lim.unit,
                 "warn_before": lim.warn_before, "custom": (lv, t, st) in custom}
                for (lv, t, st), lim in deadlines.limits_table().items()]
        return Response(s.TimeLimitSerializer(rows, many=True).data)

    @extend_schema(summary="Set one time limit (county office)", request=s.TimeLimitSerializer,
                   responses={200: s.TimeLimitSerializer, **error_responses(400, 403)})
    def put(self, request):
        data = s.TimeLimitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.time_limit_set(actor=request.user, **data.validated_data)
        return Response(s.TimeLimitSerializer({**data.validated_data, "custom": True, "amount": row.amount}).data)
