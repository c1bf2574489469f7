"""Organizations over the API: scoped reads through the selectors, writes through the services."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from shuanglian.core.api_views import error_responses

from .. import services
from ..filtersets import OrganizationFilterSet
from ..models import Organization
from ..selectors import organization_get_for_user, organization_list_visible_to
from . import serializers as s

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(summary="Organizations you may see (including those serving the divisions above yours)",
                       responses={200: s.OrganizationSerializer, **error_responses(401)}),
    retrieve=extend_schema(summary="One organization", parameters=[ID],
                           responses={200: s.OrganizationSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Create an organization", request=s.OrganizationCreateInput,
                         responses={201: s.OrganizationSerializer, **error_responses(400, 401, 403, 404, 409)}),
    partial_update=extend_schema(summary="Change an organization", parameters=[ID],
                                 request=s.OrganizationUpdateInput,
                                 responses={200: s.OrganizationSerializer,
                                            **error_responses(400, 401, 403, 404, 409)}),
)
class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = s.OrganizationSerializer
    filterset_class = OrganizationFilterSet
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Organization.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return organization_list_visible_to(self.request.user)

    def get_object(self):
        return organization_get_for_user(self.request.user, self.kwargs["pk"])

    def _parent(self, values: dict) -> None:
        if values.get("parent") is not None:
            values["parent"] = organization_get_for_user(self.request.user, values["parent"])

    def create(self, request, *args, **kwargs):
        data = s.OrganizationCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        self._parent(values)
        org = services.organization_create(actor=request.user, **values)
        return Response(s.OrganizationSerializer(org).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        org = self.get_object()
        data = s.OrganizationUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        self._parent(values)
        org = services.organization_update(actor=request.user, organization=org, **values)
        return Response(s.OrganizationSerializer(org).data)
