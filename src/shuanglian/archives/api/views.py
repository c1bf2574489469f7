"""Households and persons over the API. Reads go through the scoped selectors (out of scope reads as 404);
writes call the archive services, which decide who may change what (403). What each viewer sees of a
record is the serializers' one rule (see serializers.py)."""
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shuanglian.core.api_views import error_responses
from shuanglian.core.exceptions import ValidationFailed
from shuanglian.divisions.selectors import division_get_for_user

from .. import selectors, services
from ..filtersets import HouseholdFilterSet, PersonFilterSet
from ..models import Household, Person
from . import serializers as s

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
POST_ONLY_FILTERS = ("id_number", "phone")  # full numbers: searched in a body, never in a URL


class ArchiveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Shared by both resources: integer ids, no PUT or DELETE, one viewer per request."""

    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["viewer"] = s.ArchiveViewer(self.request.user)  # the pii scope, once per request
        return context

    def _page(self, queryset, *, filters, what: str):
        """One page of the list, and one audit event for it when it shows personal information (who, the
        filters, how many rows; archives.services.pii_read_record)."""
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        viewer = serializer.context["viewer"]
        shown = sum(1 for record in page if viewer.sees_pii(record))
        data = serializer.data
        if shown:
            services.pii_read_record(actor=self.request.user, what=what, filters=filters,
                                     rows=self.paginator.page.paginator.count, shown=shown)
        return self.get_paginated_response(data)

    def list(self, request, *args, **kwargs):
        return self._page(self.filter_queryset(self.get_queryset()), filters=request.query_params,
                          what=self.queryset.model._meta.model_name)

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary="Households you may see", responses={200: s.HouseholdSerializer,
                                                                     **error_responses(400, 401)}),
    retrieve=extend_schema(summary="One household file, with its active members", parameters=[ID],
                           responses={200: s.HouseholdDetailSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Register a household in a grid", request=s.HouseholdCreateInput,
                         responses={201: s.HouseholdDetailSerializer, **error_responses(400, 401, 403, 404, 409)}),
    partial_update=extend_schema(summary="Change a household's fields or its tags", parameters=[ID],
                                 request=s.HouseholdInput,
                                 responses={200: s.HouseholdDetailSerializer,
                                            **error_responses(400, 401, 403, 404, 409)}),
)
class HouseholdViewSet(ArchiveViewSet):
    serializer_class = s.HouseholdSerializer
    filterset_class = HouseholdFilterSet
    queryset = Household.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return selectors.household_list_visible_to(self.request.user)

    def get_object(self):
        return selectors.household_get_for_user(self.request.user, self.kwargs["pk"])

    def _render(self, pk, code=status.HTTP_200_OK):
        # Read (again, after a write) through the selector: the same shape (member count, tags) as a list row.
        household = selectors.household_get_for_user(self.request.user, pk)
        members = Person.objects.filter(is_active=True).select_related("household", "grid")
        prefetch_related_objects([household], Prefetch("members", queryset=members, to_attr="active_members"))
        context = self.get_serializer_context()
        return Response(s.HouseholdDetailSerializer(household, context=context).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._render(self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        data = self._input(s.HouseholdCreateInput)
        grid = division_get_for_user(request.user, data.pop("grid"))
        household = services.household_register(actor=request.user, grid=grid, **data)
        return self._render(household.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        household = self.get_object()
        data = self._input(s.HouseholdInput)
        tags = data.pop("tags", None)
        with transaction.atomic():  # fields and tags together, or neither
            if data or tags is None:
                household = services.household_update(actor=request.user, household=household, **data)
            if tags is not None:
                household = services.household_set_tags(actor=request.user, household=household, tags=tags)
        return self._render(household.pk)


@extend_schema_view(
    list=extend_schema(summary="Persons you may see", responses={200: s.PersonSerializer,
                                                                  **error_responses(400, 401)}),
    retrieve=extend_schema(summary="One person", parameters=[ID],
                           responses={200: s.PersonSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Add a person to a household", request=s.PersonCreateInput,
                         responses={201: s.PersonSerializer, **error_responses(400, 401, 403, 404, 409)}),
    partial_update=extend_schema(summary="Change a person's fields", parameters=[ID], request=s.PersonInput,
                                 responses={200: s.PersonSerializer, **error_responses(400, 401, 403, 404, 409)}),
)
class PersonViewSet(ArchiveViewSet):
    serializer_class = s.PersonSerializer
    filterset_class = PersonFilterSet
    queryset = Person.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return selectors.person_list_visible_to(self.request.user)

    def get_object(self):
        return selectors.person_get_for_user(self.request.user, self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        given = [name for name in POST_ONLY_FILTERS if request.query_params.get(name)]
        if given:
            raise ValidationFailed(
                _("Search by ID number or phone with POST /api/v1/persons/search/: a number in a URL lands in "
                  "access logs and histories."), code="use_post", details={name: ["use_post"] for name in given})
        return super().list(request, *args, **kwargs)  # ArchiveViewSet.list: audited when it shows PII

    @extend_schema(summary="Search persons by ID number or phone (or any list filter), in the request body",
                   request=s.PersonSearchInput,
                   responses={200: s.PersonSerializer(many=True), **error_responses(400, 401)})
    @action(detail=False, methods=["post"])
    def search(self, request):
        """The list's filters, read from the body instead of the query string, paginated the same way."""
        data = self._input(s.PersonSearchInput)
        filterset = PersonFilterSet({k: v for k, v in data.items() if v not in ("", None)},
                                    queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise ValidationFailed(_("Check the search filters."), details=filterset.errors)
        return self._page(filterset.qs, filters=data, what="person")

    def _render(self, person, code=status.HTTP_200_OK):
        person = selectors.person_get_for_user(self.request.user, person.pk)
        return Response(self.get_serializer(person).data, status=code)

    def create(self, request, *args, **kwargs):
        data = self._input(s.PersonCreateInput)
        household = selectors.household_get_for_user(request.user, data.pop("household"))
        person = services.person_add(actor=request.user, household=household, **data)
        return self._render(person, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        person = self.get_object()
        data = self._input(s.PersonInput)
        person = services.person_update(actor=request.user, person=person, **data)
        return self._render(person)

    @extend_schema(summary="Reveal a person's full ID number or phone, for a stated reason (audited)",
                   parameters=[ID], request=s.RevealInput,
                   responses={200: s.RevealResult, **error_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        person = self.get_object()
        data = self._input(s.RevealInput)
        field = data["field"]
        value = services.person_reveal(actor=request.user, person=person, field=field, reason=data["reason"] or "")
        return Response({"field": field, "value": value})  # not kept by caches: core NoStoreMiddleware
