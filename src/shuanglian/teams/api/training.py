"""The lecturer group and training sessions over the API (serializers and views together, apart from the team
posts'): reads through the scoped selectors (`teams.selectors`), writes through `teams.services.training` (403 without the
capability there, 404 out of scope, 400 naming the refused members of an attendance list)."""
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shuanglian.core.api_views import error_responses
from shuanglian.core.exceptions import ValidationFailed
from shuanglian.divisions.selectors import division_get_for_user
from shuanglian.organizations.selectors import organization_get_for_user

from .. import selectors
from ..filtersets import LecturerFilterSet, TrainingSessionFilterSet
from ..models import Attendance, Lecturer, TrainingSession
from ..services import training

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class LecturerSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Lecturer
        fields = ["id", "name", "department", "department_name", "topics", "is_active"]
        read_only_fields = fields


class LecturerInput(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    department = serializers.IntegerField(help_text="a county department (organization id)")
    topics = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False, default=True)


class TrainerSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Lecturer
        fields = ["id", "name", "department_name"]
        read_only_fields = fields


class TrainingSessionSerializer(serializers.ModelSerializer):
    township = serializers.CharField(source="township.code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    trainers = TrainerSerializer(many=True, read_only=True)
    attendee_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingSession
        fields = ["id", "township", "township_name", "topic", "held_on", "place", "trainers", "notes",
                  "attendee_count"]
        read_only_fields = fields


class TrainingAttendeeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="member id (as `member` of /team-members/)")
    name = serializers.CharField()
    category = serializers.CharField()


class TrainingSessionDetailSerializer(TrainingSessionSerializer):
    attendees = TrainingAttendeeSerializer(many=True, read_only=True, source="attendee_list",
                                   help_text="the members recorded as present")

    class Meta(TrainingSessionSerializer.Meta):
        fields = [*TrainingSessionSerializer.Meta.fields, "attendees"]
        read_only_fields = fields


class TrainingSessionInput(serializers.Serializer):
    township = serializers.CharField(help_text="township code")
    topic = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    trainers = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                     help_text="lecturer ids")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class TrainingAttendanceInput(serializers.Serializer):
    members = serializers.ListField(child=serializers.IntegerField(), allow_empty=True, max_length=5000,
                                    help_text="every member present (member ids); others are taken off the list")


class AttendanceResult(serializers.Serializer):
    attended = serializers.IntegerField()
    added = serializers.IntegerField()
    removed = serializers.IntegerField()


class TrainingRecordSerializer(serializers.ModelSerializer):
    """One line of a member's training record: a session they attended."""

    session = serializers.IntegerField(source="session_id", read_only=True)
    topic = serializers.CharField(source="session.topic", read_only=True)
    held_on = serializers.DateField(source="session.held_on", read_only=True)
    township = serializers.CharField(source="session.township.code", read_only=True)
    township_name = serializers.CharField(source="session.township.name", read_only=True)
    trainers = serializers.SlugRelatedField(source="session.trainers", slug_field="name", many=True, read_only=True)

    class Meta:
        model = Attendance
        fields = ["session", "topic", "held_on", "township", "township_name", "trainers"]
        read_only_fields = fields


def _lecturers(user, ids: list[int]) -> list[Lecturer]:
    found = {lecturer.pk: lecturer for lecturer in selectors.lecturer_list_visible_to(user).filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(_("No lecturer %(ids)s.") % {"ids": ", ".join(map(str, missing))},
                              details={"trainers": missing})
    return [found[i] for i in dict.fromkeys(ids)]


@extend_schema_view(
    list=extend_schema(summary="The lecturer group", responses={200: LecturerSerializer, **error_responses(400, 401)}),
    retrieve=extend_schema(summary="One lecturer", parameters=[ID],
                           responses={200: LecturerSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Add a lecturer (county office)", request=LecturerInput,
                         responses={201: LecturerSerializer, **error_responses(400, 401, 403, 404)}),
    partial_update=extend_schema(summary="Change a lecturer (county office); is_active=false retires them",
                                 parameters=[ID], request=LecturerInput(partial=True),
                                 responses={200: LecturerSerializer, **error_responses(400, 401, 403, 404)}),
)
class LecturerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = LecturerSerializer
    filterset_class = LecturerFilterSet
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Lecturer.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return selectors.lecturer_list_visible_to(self.request.user)

    def get_object(self):
        return selectors.lecturer_get_for_user(self.request.user, self.kwargs["pk"])

    def _input(self, partial=False) -> dict:
        serializer = LecturerInput(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "department" in data:
            data["department"] = organization_get_for_user(self.request.user, data["department"])
        return data

    def create(self, request, *args, **kwargs):
        lecturer = training.lecturer_create(actor=request.user, **self._input())
        return Response(self.get_serializer(lecturer).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        lecturer = training.lecturer_update(actor=request.user, lecturer=self.get_object(), **self._input(True))
        return Response(self.get_serializer(lecturer).data)


@extend_schema_view(
    list=extend_schema(summary="Training sessions you may see (your townships, and those above your villages)",
                       responses={200: TrainingSessionSerializer, **error_responses(400, 401)}),
    retrieve=extend_schema(summary="One training session with its attendees", parameters=[ID],
                           responses={200: TrainingSessionDetailSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Record a training session in a township", request=TrainingSessionInput,
                         responses={201: TrainingSessionDetailSerializer, **error_responses(400, 401, 403, 404)}),
)
class TrainingSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                             viewsets.GenericViewSet):
    serializer_class = TrainingSessionSerializer
    filterset_class = TrainingSessionFilterSet
    lookup_value_regex = r"[0-9]+"
    queryset = TrainingSession.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return selectors.session_list_visible_to(self.request.user)

    def get_object(self):
        return selectors.session_get_for_user(self.request.user, self.kwargs["pk"])

    def _detail(self, pk, code=status.HTTP_200_OK):
        session = selectors.session_get_for_user(self.request.user, pk)
        session.attendee_list = list(selectors.session_attendees(session, self.request.user))
        return Response(TrainingSessionDetailSerializer(session).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        serializer = TrainingSessionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["township"] = division_get_for_user(request.user, data["township"])
        data["trainers"] = _lecturers(request.user, data["trainers"])
        session = training.session_create(actor=request.user, **data)
        return self._detail(session.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="Record who attended (the whole list: members left out are taken off)",
                   parameters=[ID], request=TrainingAttendanceInput,
                   responses={200: AttendanceResult, **error_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        session = self.get_object()
        serializer = TrainingAttendanceInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        counts = training.session_attendance_set(actor=request.user, session=session,
                                                 member_ids=serializer.validated_data["members"])
        return Response(AttendanceResult(counts).data)
