"""The audit log API (read-only), and small pieces every app's API shares: the error schema, capability checks."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .calendar import calendar_day_set, year_days
from .capabilities import VIEW_AUDIT, has_capability
from .exceptions import ValidationFailed
from .filtersets import AuditEventFilterSet
from .models import AuditEvent
from .selectors import audit_list_visible_to


class ErrorSerializer(serializers.Serializer):
    """The one error shape, rendered by `core.api.exception_handler`."""

    code = serializers.CharField(help_text="stable machine-readable code, e.g. permission_denied, duplicate_grant")
    message = serializers.CharField(help_text="what went wrong, for the user to act on")
    details = serializers.JSONField(help_text="field errors or other specifics; {} when there are none")


_ERROR_TEXT = {
    400: "invalid input",
    401: "not authenticated",
    403: "permission denied",
    404: "not found, or out of your scope",
    409: "conflicts with the current state",
}


def error_responses(*statuses: int) -> dict:
    """`responses` entries for @extend_schema: each status documented with the one error shape."""
    return {s: OpenApiResponse(ErrorSerializer, description=_ERROR_TEXT.get(s, "error")) for s in statuses}


def capability_required(capability: str):
    """A DRF permission class: the user holds `capability` somewhere (the service or selector scopes further)."""

    class HasCapability(BasePermission):
        message = _("You do not have the permission this needs.")

        def has_permission(self, request, view):
            return has_capability(request.user, capability)

    HasCapability.__name__ = f"HasCapability[{capability}]"
    return HasCapability


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label", read_only=True, help_text="username, or 'system'")

    class Meta:
        model = AuditEvent
        fields = ["seq", "occurred_at", "actor", "action", "object_type", "object_id", "object_repr",
                  "before", "after", "request_id", "ip", "channel", "hash", "prev_hash"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="Audit events, newest first", responses={200: AuditEventSerializer,
                                                                         **error_responses(401, 403)}),
    retrieve=extend_schema(summary="One audit event by sequence number",
                           responses={200: AuditEventSerializer, **error_responses(401, 403, 404)}),
)
class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Read-only: only holders of audit.view; anyone else is refused (403) rather than shown an empty log."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    permission_classes = [IsAuthenticated, capability_required(VIEW_AUDIT)]
    lookup_field = "seq"
    lookup_value_regex = r"[0-9]+"
    queryset = AuditEvent.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return audit_list_visible_to(self.request.user)

    def get_object(self):
        event = self.get_queryset().filter(seq=self.kwargs["seq"]).first()
        if event is None:
            raise NotFound(_("No such audit event."))
        return event


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    working = serializers.BooleanField()
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    custom = serializers.BooleanField(read_only=True)


class CalendarView(APIView):
    """The working-day calendar: a year's holidays and make-up working days; the county office corrects days."""

    @extend_schema(summary="A year's special days", parameters=[
        OpenApiParameter("year", OpenApiTypes.INT, required=True)], responses={200: CalendarDaySerializer(many=True)})
    def get(self, request):
        try:
            year = int(request.query_params.get("year", ""))
        except ValueError:
            year = None
        if year is None or not 1900 <= year <= 9998:  # a year near 1 or 9999 overflows the dates built from it
            raise ValidationFailed(str(_("Give the year, e.g. ?year=2026.")), details={"year": ["required"]})
        return Response(CalendarDaySerializer(year_days(year), many=True).data)

    @extend_schema(summary="Set one day working or not (county office)", request=CalendarDaySerializer,
                   responses={200: CalendarDaySerializer, **error_responses(400, 403)})
    def put(self, request):
        data = CalendarDaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        calendar_day_set(actor=request.user, day=d["date"], is_working=d["working"], name=d["name"])
        return Response(CalendarDaySerializer({**d, "custom": True}).data)
