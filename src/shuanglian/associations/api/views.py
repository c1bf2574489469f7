"""Associations over the API: reads through the scoped selectors (out of scope reads as 404), writes through
the services (403 without associations.manage over the association, 409 for a second president)."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shuanglian.core.api_views import error_responses
from shuanglian.organizations.models import Organization

from .. import selectors, services
from ..filtersets import AssociationFilterSet
from . import serializers as s

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
POST_ID = OpenApiParameter("post_id", OpenApiTypes.INT, OpenApiParameter.PATH)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409)


@extend_schema_view(
    list=extend_schema(summary="Associations you may see: general (township) and promotion (village) ones",
                       responses={200: s.AssociationSerializer, **error_responses(400, 401)}),
    retrieve=extend_schema(summary="One association: its current officers and recent meetings", parameters=[ID],
                           responses={200: s.AssociationDetailSerializer, **error_responses(401, 404)}),
)
class AssociationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.AssociationSerializer
    filterset_class = AssociationFilterSet
    lookup_value_regex = r"[0-9]+"
    queryset = Organization.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return selectors.association_list_visible_to(self.request.user)

    def get_object(self):
        return selectors.association_get_for_user(self.request.user, self.kwargs["pk"])

    def retrieve(self, request, *args, **kwargs):
        association = self.get_object()
        for name, value in selectors.association_summary(association).items():
            setattr(association, name, value)
        return Response(s.AssociationDetailSerializer(association).data)

    def _page(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)

    @extend_schema(summary="An association's posts, president first", parameters=[ID, s.AssociationPostQuery],
                   responses={200: s.AssociationPostSerializer(many=True), **error_responses(400, 401, 404)}, methods=["GET"])
    @extend_schema(summary="Appoint a president, vice-president, secretary, officer or member", parameters=[ID],
                   request=s.AssociationPostInput, responses={201: s.AssociationPostSerializer, **WRITE_ERRORS}, methods=["POST"])
    @action(detail=True, methods=["get", "post"], filterset_class=None)
    def posts(self, request, pk=None):
        association = self.get_object()
        if request.method == "GET":
            query = s.AssociationPostQuery(data=request.query_params)
            query.is_valid(raise_exception=True)
            return self._page(selectors.post_list(association, current=query.validated_data["current"]),
                              s.AssociationPostSerializer)
        data = s.AssociationPostInput(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.post_appoint(actor=request.user, association=association, **data.validated_data)
        return Response(s.AssociationPostSerializer(selectors.post_get(association, post.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="End a post (kept as the association's history)", parameters=[ID, POST_ID],
                   request=s.AssociationPostEndInput, responses={200: s.AssociationPostSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], url_path=r"posts/(?P<post_id>[0-9]+)/end", filterset_class=None)
    def end_post(self, request, pk=None, post_id=None):
        association = self.get_object()
        post = selectors.post_get(association, int(post_id))
        data = s.AssociationPostEndInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.post_end(actor=request.user, post=post, **data.validated_data)
        return Response(s.AssociationPostSerializer(selectors.post_get(association, post.pk)).data)

    @extend_schema(summary="An association's meetings, newest first", parameters=[ID],
                   responses={200: s.AssociationMeetingSerializer(many=True), **error_responses(401, 404)}, methods=["GET"])
    @extend_schema(summary="Record a meeting that took place", parameters=[ID], request=s.AssociationMeetingInput,
                   responses={201: s.AssociationMeetingSerializer, **WRITE_ERRORS}, methods=["POST"])
    @action(detail=True, methods=["get", "post"], filterset_class=None)
    def meetings(self, request, pk=None):
        association = self.get_object()
        if request.method == "GET":
            return self._page(selectors.meeting_list(association), s.AssociationMeetingSerializer)
        data = s.AssociationMeetingInput(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = services.meeting_record(actor=request.user, association=association, **data.validated_data)
        return Response(s.AssociationMeetingSerializer(selectors.meeting_list(association).get(pk=meeting.pk)).data,
                        status=status.HTTP_201_CREATED)
