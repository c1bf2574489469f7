"""Team members and team statistics over the API: reads through the scoped selectors (out of scope reads
as 404), writes through the services (403 without teams.manage there, 409 for a second promoter)."""
from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from shuanglian.core.api_views import error_responses
from shuanglian.core.exceptions import ValidationFailed
from shuanglian.divisions.selectors import division_get_for_user

from .. import selectors, services
from ..filtersets import MembershipFilterSet
from ..models import Membership
from . import serializers as s
from .training import TrainingRecordSerializer

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(summary="Grid team posts you may see (current and ended)",
                       responses={200: s.TeamMemberSerializer, **error_responses(400, 401)}),
    retrieve=extend_schema(summary="One team post", parameters=[ID],
                           responses={200: s.TeamMemberSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Appoint a grid's promoter or add a volunteer", request=s.TeamMemberCreateInput,
                         responses={201: s.TeamMemberSerializer, **error_responses(400, 401, 403, 404, 409)}),
)
class TeamMemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    serializer_class = s.TeamMemberSerializer
    filterset_class = MembershipFilterSet
    lookup_value_regex = r"[0-9]+"
    queryset = Membership.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return selectors.membership_list_visible_to(self.request.user)

    def get_object(self):
        return selectors.membership_get_for_user(self.request.user, self.kwargs["pk"])

    def _render(self, membership, code=status.HTTP_200_OK):
        membership = selectors.membership_get_for_user(self.request.user, membership.pk)
        return Response(self.get_serializer(membership).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = s.TeamMemberCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        grid = division_get_for_user(request.user, data.pop("grid"))
        user_id = data.pop("user")
        user = None
        if user_id is not None:
            user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
            if user is None:
                raise ValidationFailed(f"No active user {user_id}.", details={"user": user_id})
        membership = services.membership_appoint(actor=request.user, grid=grid, user=user, **data)
        return self._render(membership, status.HTTP_201_CREATED)

    @extend_schema(summary="End a post (kept as the team's history)", parameters=[ID], request=s.TeamMemberEndInput,
                   responses={200: s.TeamMemberSerializer, **error_responses(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        membership = self.get_object()
        serializer = s.TeamMemberEndInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_end(actor=request.user, membership=membership,
                                             ended_on=serializer.validated_data["ended_on"],
                                             reason=serializer.validated_data["reason"])
        return self._render(membership)

    @extend_schema(summary="The training record of this post's member: the sessions they attended, newest first",
                   parameters=[ID], responses={200: TrainingRecordSerializer(many=True), **error_responses(401, 404)})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def training(self, request, pk=None):
        membership = self.get_object()
        record = selectors.member_training(membership.member, request.user)
        return Response(TrainingRecordSerializer(record, many=True).data)


class TeamStatsView(APIView):
    """The seed's 2,556 promoters and 8,506 volunteers, 40.2% from public institutions, in the caller's scope."""

    @extend_schema(summary="Grid team statistics: promoters, volunteers, public share, coverage, categories",
                   parameters=[s.TeamStatsQuery],
                   responses={200: s.TeamStatsSerializer, **error_responses(400, 401, 404)})
    def get(self, request):
        query = s.TeamStatsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        code = (query.validated_data.get("within") or "").strip()
        within = division_get_for_user(request.user, code) if code else None  # out of scope: 404
        return Response(s.TeamStatsSerializer(selectors.team_stats(request.user, within=within)).data)


class TeamCoverageView(APIView):
    """Where the teams fall short, in the caller's scope: grids without a promoter, small teams, busy people."""

    @extend_schema(summary="Grid team coverage: grids without a promoter, teams below a size, people in too many grids, "
                           "members without training",
                   parameters=[s.TeamCoverageQuery], responses={200: s.TeamCoverageSerializer, **error_responses(400, 401, 404)})
    def get(self, request):
        query = s.TeamCoverageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        code = (data.get("within") or "").strip()
        within = division_get_for_user(request.user, code) if code else None  # out of scope: 404
        user = request.user
        found = {
            "without_promoter": selectors.grids_without_promoter(user, within)[:LIMIT],
            "below_size": selectors.teams_below_size(user, within, size=data.get("size", selectors.MIN_TEAM_SIZE))[:LIMIT],
            "in_too_many_grids": selectors.members_in_too_many_grids(
                user, within, limit=data.get("limit", selectors.MAX_GRIDS_PER_PERSON))[:LIMIT],
            "without_training": selectors.members_without_training(
                user, within, since=data.get("trained_since"), until=data.get("trained_until"))[:LIMIT],
        }
        return Response(s.TeamCoverageSerializer(found).data)


LIMIT = 500
