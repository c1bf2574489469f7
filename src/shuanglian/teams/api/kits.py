"""Kit items (五个一) over the API (serializers and views together, apart from the team posts'): reads through the
scoped selectors (`teams.selectors`), writes through `teams.services.kits`; an item issued twice without its return is a
409 saying since when."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shuanglian.core.api_views import error_responses
from shuanglian.divisions.selectors import division_get_for_user

from .. import selectors
from ..choices import KitItem
from ..filtersets import KitIssueFilterSet
from ..models import KitIssue
from ..services import kits
from .serializers import TeamStatsQuery

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class KitIssueSerializer(serializers.ModelSerializer):
    member = serializers.IntegerField(source="member_id", read_only=True)
    name = serializers.CharField(source="member.name", read_only=True)
    grid = serializers.CharField(source="grid.code", read_only=True, default=None)
    township = serializers.CharField(source="township.code", read_only=True, default=None)
    is_outstanding = serializers.BooleanField(read_only=True, help_text="held by the member now")

    class Meta:
        model = KitIssue
        fields = ["id", "member", "name", "item", "grid", "township", "issued_on", "returned_on", "is_outstanding"]
        read_only_fields = fields


class KitIssueInput(serializers.Serializer):
    post = serializers.IntegerField(help_text="the member's current post (id of /team-members/)")
    # Plain strings, checked by the service (its message lists the five): a second enum of the same choices
    # would give the schema two names for one set.
    items = serializers.ListField(child=serializers.CharField(max_length=10), required=False,
                                  default=list(KitItem.values),
                                  help_text="some of notebook, card, pen, bag, badge; default: the whole kit")
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)


class KitReturnInput(serializers.Serializer):
    returned_on = serializers.DateField(required=False, allow_null=True, default=None)


class KitTownshipSerializer(serializers.Serializer):
    township = serializers.CharField()
    name = serializers.CharField()
    members = serializers.IntegerField(help_text="members holding at least one item")
    items = serializers.DictField(child=serializers.IntegerField(), help_text="items held now, by item")


@extend_schema_view(
    list=extend_schema(summary="Kit items issued in the grids you may see (held and returned)",
                       responses={200: KitIssueSerializer, **error_responses(400, 401)}),
    retrieve=extend_schema(summary="One issued kit item", parameters=[ID],
                           responses={200: KitIssueSerializer, **error_responses(401, 404)}),
)
class KitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = KitIssueSerializer
    filterset_class = KitIssueFilterSet
    lookup_value_regex = r"[0-9]+"
    queryset = KitIssue.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return selectors.kit_list_visible_to(self.request.user)

    def get_object(self):
        return selectors.kit_get_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(summary="Issue kit items to the member of a post (409 for an item still held)",
                   request=KitIssueInput,
                   responses={201: KitIssueSerializer(many=True), **error_responses(400, 401, 403, 404, 409)})
    @action(detail=False, methods=["post"])
    def issue(self, request):
        serializer = KitIssueInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        post = selectors.membership_get_for_user(request.user, data["post"])
        rows = kits.kit_issue(actor=request.user, membership=post, items=data["items"], issued_on=data["issued_on"])
        rows = self.get_queryset().filter(pk__in=[r.pk for r in rows]).order_by("id")
        return Response(self.get_serializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Take a kit item back", parameters=[ID], request=KitReturnInput,
                   responses={200: KitIssueSerializer, **error_responses(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"], url_path="return")
    def return_item(self, request, pk=None):
        issue = self.get_object()
        serializer = KitReturnInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        kits.kit_return(actor=request.user, issue=issue, returned_on=serializer.validated_data["returned_on"])
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(summary="Kit items held now per township", parameters=[TeamStatsQuery],
                   responses={200: KitTownshipSerializer(many=True), **error_responses(400, 401, 404)})
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def townships(self, request):
        query = TeamStatsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        code = (query.validated_data.get("within") or "").strip()
        within = division_get_for_user(request.user, code) if code else None  # out of scope: 404
        return Response(KitTownshipSerializer(selectors.kit_counts_by_township(request.user, within), many=True).data)
