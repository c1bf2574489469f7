"""Service API shapes. The applicant's phone is personal information: shown masked, never in full."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import services
from ..choices import Action, NotifiedBy, PointKind, Satisfaction, Status
from ..models import Application, Complaint, ServiceItem, ServicePoint, StaffPosting, Transition

ACTIONS = [a.value for a in Action if a != Action.ACCEPT]


def _choice(choices, **kwargs):
    """A choice field documented as a string listing its values: `status` and `satisfaction` name other
    choice sets in other apps, and drf-spectacular would hoist an enum here into a colliding component."""

    @extend_schema_field({"type": "string", "description": "one of: " + ", ".join(choices.values)})
    class Field(serializers.ChoiceField):
        pass

    return Field(choices=choices.choices, **kwargs)


class StaffSerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffPosting
        fields = ["name", "position", "photo", "full_time"]


class ServicePointSerializer(serializers.ModelSerializer):
    division = serializers.CharField(source="division.code")
    division_name = serializers.CharField(source="division.name")
    township = serializers.CharField(source="township.name", default=None)
    center_name = serializers.CharField(source="center.name", default=None)
    staff = serializers.SerializerMethodField()

    class Meta:
        model = ServicePoint
        fields = ["id", "kind", "name", "division", "division_name", "township", "center", "center_name",
                  "opening_hours", "phone", "address", "staff"]

    def get_staff(self, point) -> list[dict]:
        return StaffSerializer([s for s in point.staff.all() if s.is_active], many=True).data


class ServiceItemSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    materials = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    steps = serializers.ListField(child=serializers.CharField(max_length=200), required=False)

    class Meta:
        model = ServiceItem
        fields = ["id", "code", "name", "department", "department_name", "conditions", "materials", "steps",
                  "legal_days", "promised_days", "fees", "accepted_at", "is_active"]
        # The limits are checked by the service (one rule, one message), not here.
        validators = []


class ApplicationTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = Transition
        fields = ["action", "from_status", "to_status", "actor", "reason", "details", "at"]


class ApplicationSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name")
    point_name = serializers.CharField(source="point.name")
    point_kind = serializers.CharField(source="point.kind", help_text=", ".join(PointKind.values))
    status = _choice(Status, read_only=True)
    notified_by = _choice(NotifiedBy, read_only=True, allow_blank=True)
    satisfaction = _choice(Satisfaction, read_only=True, allow_blank=True)
    center_name = serializers.CharField(source="center.name")
    department_name = serializers.CharField(source="department.name", default=None)
    applicant_phone = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ["id", "receipt_no", "item", "item_name", "point", "point_name", "point_kind", "center",
                  "center_name", "department", "department_name", "applicant_name", "applicant_phone", "status",
                  "accepted_at", "promised_date", "suspended_days", "missing_materials", "result", "notified_by",
                  "satisfaction", "closed_at", "on_time", "allowed_actions"]

    def get_applicant_phone(self, app) -> str:
        return app.applicant_phone.masked if app.applicant_phone else ""

    def get_allowed_actions(self, app) -> list[str]:
        return services.allowed_actions(app)


class ComplaintSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by_label", read_only=True)

    class Meta:
        model = Complaint
        fields = ["id", "text", "received_at", "recorded_by", "resolution", "resolved_at"]
        read_only_fields = ["received_at", "resolution", "resolved_at"]


class ApplicationDetailSerializer(ApplicationSerializer):
    timeline = ApplicationTransitionSerializer(many=True, source="transitions.all")
    complaints = ComplaintSerializer(many=True, source="complaints.all")

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "timeline", "complaints"]


class ApplicationCreateInput(serializers.Serializer):
    item = serializers.IntegerField()
    point = serializers.IntegerField()
    applicant_name = serializers.CharField(max_length=50)
    applicant_phone = serializers.RegexField(r"^\+?[0-9 \-]{7,20}$", max_length=20)


class ApplicationActionInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    missing = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list,
                                    help_text="request_materials: every missing material, listed at once")
    result = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    notified_by = _choice(NotifiedBy, required=False, allow_blank=True, default="")
    satisfaction = _choice(Satisfaction, required=False, allow_blank=True, default="")
    department = serializers.IntegerField(required=False, allow_null=True, default=None,
                                          help_text="handle: the department (default: the item's)")
    handler = serializers.IntegerField(required=False, allow_null=True, default=None)


class ServiceStatsSerializer(serializers.Serializer):
    centers = serializers.IntegerField()
    agent_points = serializers.IntegerField()
    staff = serializers.IntegerField()
    applications = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField(), help_text=", ".join(Status.values))
    closed = serializers.IntegerField()
    on_time = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)


class PublicStatusSerializer(serializers.Serializer):
    status = _choice(Status)
    promised_date = serializers.DateField()


class SupervisionRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    near_due = serializers.IntegerField()


class MonthlyRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    closed = serializers.IntegerField()
    on_time_rate = serializers.FloatField()
    average_days = serializers.FloatField()
