"""Units' volunteering staff over the API: a unit submits its list (teams.submit_staff), the county office
lists them and assigns them to grids in bulk (teams.manage). Phones are masked in every answer."""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from shuanglian.core.api_views import error_responses

from .. import selectors
from ..choices import Category
from ..models import Member
from ..services import staff
from .serializers import MaskedPhoneField


class StaffRowInput(serializers.Serializer):
    name = serializers.CharField(max_length=50, allow_blank=True)
    phone = serializers.CharField(max_length=20, allow_blank=True)
    category = serializers.CharField(max_length=30, help_text="a category code or its Chinese word (医生, 教师 ...)")


class StaffSubmitInput(serializers.Serializer):
    organization = serializers.IntegerField(help_text="the unit (id of /organizations/)")
    staff = StaffRowInput(many=True)


class StaffSubmitResult(serializers.Serializer):
    unit = serializers.IntegerField()
    created = serializers.IntegerField()
    linked = serializers.IntegerField(help_text="recorded team members now linked to the unit")
    already_listed = serializers.IntegerField()
    members = serializers.ListField(child=serializers.IntegerField())


class StaffMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    phone = MaskedPhoneField()
    category = serializers.ChoiceField(choices=Category.choices)
    organization = serializers.IntegerField(source="organization_id")
    unit = serializers.CharField(source="organization.name")
    from_public_institution = serializers.BooleanField()
    posts = serializers.IntegerField(help_text="current grid team posts held")


class StaffListQuery(serializers.Serializer):
    organization = serializers.IntegerField(required=False)
    unassigned = serializers.BooleanField(required=False, default=False, help_text="only those on no team yet")


class PairInput(serializers.Serializer):
    member = serializers.IntegerField()
    grid = serializers.CharField(help_text="grid code")


class StaffAssignInput(serializers.Serializer):
    organization = serializers.IntegerField(required=False, allow_null=True, default=None)
    within = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="spread over the grids under this division, fewest volunteers first")
    members = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                    help_text="whom to spread (default: the unit's staff on no team yet)")
    pairs = PairInput(many=True, required=False, default=list, help_text="or: explicit member -> grid pairs")
    started_on = serializers.DateField(required=False, allow_null=True, default=None)


class AssignedSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    name = serializers.CharField()
    grid = serializers.CharField()
    grid_name = serializers.CharField()


class StaffAssignResult(serializers.Serializer):
    assigned = AssignedSerializer(many=True)
    grids = serializers.IntegerField()


class StaffView(GenericAPIView):
    serializer_class = StaffMemberSerializer
    queryset = Member.objects.none()  # for the schema; requests use the selector

    @extend_schema(summary="Submitted volunteering staff of county units (paginated)", parameters=[StaffListQuery],
                   responses={200: StaffMemberSerializer(many=True), **error_responses(400, 401, 404)})
    def get(self, request):
        query = StaffListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        unit_id = query.validated_data.get("organization")
        unit = selectors.unit_for_submit(request.user, unit_id) if unit_id else None
        found = selectors.staff_visible_to(request.user, organization=unit, unassigned=query.validated_data["unassigned"])
        return self.get_paginated_response(self.get_serializer(self.paginate_queryset(found), many=True).data)

    @extend_schema(summary="A unit submits its staff who volunteer (all rows valid, or nothing recorded)",
                   request=StaffSubmitInput, responses={201: StaffSubmitResult, **error_responses(400, 401, 403, 404)})
    def post(self, request):
        body = StaffSubmitInput(data=request.data)
        body.is_valid(raise_exception=True)
        unit = selectors.unit_for_submit(request.user, body.validated_data["organization"])
        result = staff.staff_submit(actor=request.user, organization=unit, rows=body.validated_data["staff"])
        return Response(StaffSubmitResult(result).data, status=status.HTTP_201_CREATED)


class StaffAssignView(APIView):
    @extend_schema(summary="Assign submitted staff to grids in bulk (spread, or explicit pairs); one transaction",
                   request=StaffAssignInput, responses={200: StaffAssignResult, **error_responses(400, 401, 403, 404)})
    def post(self, request):
        body = StaffAssignInput(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(StaffAssignResult(staff.assign_from(request.user, body.validated_data)).data)
