"""Petitions over the API: /api/v1/petitions/ (scoped list with filters, detail, register), one POST per
workflow action at /api/v1/petitions/<id>/actions/<name>/ (409 `illegal_transition` when the status does not
allow it), and /api/v1/stats/petitions/?year=&within=."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from shuanglian.accounts.selectors import user_get_for_user
from shuanglian.archives.selectors import person_get_for_user
from shuanglian.core.api_views import error_responses
from shuanglian.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.selectors import division_get_for_user
from shuanglian.matters.selectors import matter_list_visible_to
from shuanglian.organizations.selectors import organization_list_visible_to

from .. import selectors, services
from ..filtersets import PetitionFilterSet
from ..models import Petition, Subject
from . import serializers as s

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
ACTION = OpenApiParameter("action_name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=s.ACTIONS)


def _organization(user, pk, field):
    if not pk:
        return None
    return get_visible(organization_list_visible_to(user), pk, what="organization", field=field)


@extend_schema_view(
    list=extend_schema(summary="Petitions you may see", responses={200: s.PetitionSerializer, **error_responses(401)}),
    retrieve=extend_schema(summary="One petition with its timeline, clock and the actions you may take",
                           parameters=[ID], responses={200: s.PetitionDetailSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Register a petition (the petition office)", request=s.PetitionCreateInput,
                         responses={201: s.PetitionDetailSerializer, **error_responses(400, 401, 403, 404, 409)}),
)
class PetitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):
    serializer_class = s.PetitionSerializer
    filterset_class = PetitionFilterSet
    queryset = Petition.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.petition_list_visible_to(self.request.user).select_related("division")

    def _render(self, pk, code=status.HTTP_200_OK):
        petition = selectors.petition_get_for_user(self.request.user, pk)
        return Response(s.PetitionDetailSerializer(petition, context=self.get_serializer_context()).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._render(kwargs["pk"])

    def create(self, request, *args, **kwargs):
        data = s.PetitionCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        division = division_get_for_user(request.user, d.pop("division"))
        subject = get_visible(Subject.objects.filter(active=True), d.pop("subject"), what="subject",
                              field="subject") if d.get("subject") else None
        d.pop("subject", None)
        person = person_get_for_user(request.user, d.pop("person")) if d.get("person") else None
        d.pop("person", None)
        accused_organization = _organization(request.user, d.pop("accused_organization", None), "accused_organization")
        matter_id = d.pop("matter", None)
        matter = get_visible(matter_list_visible_to(request.user), matter_id, what="matter",
                             field="matter") if matter_id else None
        petition = services.petition_register(actor=request.user, division=division, subject=subject, person=person,
                                              accused_organization=accused_organization, matter=matter, **d)
        return self._render(petition.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="Take a workflow action", parameters=[ID, ACTION], request=s.PetitionActionInput,
                   responses={200: s.PetitionDetailSerializer, **error_responses(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)")
    def act(self, request, pk=None, action_name=None):
        petition = selectors.petition_get_for_user(request.user, pk)
        if action_name not in s.ACTIONS:
            raise NotFound(s.no_action(action_name))
        data = s.PetitionActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        handler = None
        if d.get("handler"):
            try:
                handler = user_get_for_user(request.user, d["handler"])
            except NotFound:
                raise ValidationFailed(f"No such user that you may see: {d['handler']}.",
                                       details={"handler": [d["handler"]]}) from None
        services.transition(
            actor=request.user, petition=petition, action=action_name, reason=d["reason"],
            organization=_organization(request.user, d.get("organization"), "organization"), handler=handler,
            days=d["days"], approver=d["approver"], outcome=d["outcome"],
            texts={k: d[k] for k in ("request", "facts", "reasons", "basis")})
        return self._render(petition.pk)


class PetitionStatsView(APIView):
    @extend_schema(summary="Petition statistics of a year in a division subtree, with the previous year",
                   parameters=[OpenApiParameter("year", OpenApiTypes.INT, required=True),
                               OpenApiParameter("within", OpenApiTypes.STR, required=True)],
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 403, 404)})
    def get(self, request):
        query = s.PetitionStatsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        division = division_get_for_user(request.user, query.validated_data["within"])
        if not selectors.may_see_statistics_of(request.user, division):
            raise PermissionDenied(f"You may not see petition statistics of {division}.")
        stats = selectors.petition_statistics(year=query.validated_data["year"], within=division)
        return Response(_plain(stats))


def _plain(value):
    """Decimals as numbers in the JSON (0.866, 26.6)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "as_tuple"):
        return float(value)
    return value
