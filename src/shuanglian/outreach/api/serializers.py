"""Shapes of contact days, visits and coverage over the API: names, never phones or ID numbers."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuanglian.core.calendar import work_calendar
from shuanglian.divisions.models import Division
from shuanglian.matters.choices import MatterType

from ..choices import AttendeeRole, ContactDayKind
from ..models import ContactDay, ContactDayAttendee, Visit


@extend_schema_field({"type": "string", "enum": ContactDayKind.values,
                      "description": "township_village: the 10th, at a township; county_township: the 20th, at the county"},
                     component_name="ContactDayKindEnum")
class KindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ContactDayKind.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": AttendeeRole.values,
                      "description": "police, judge and lawyer are the legal liaison of the 20th"},
                     component_name="AttendeeRoleEnum")
class RoleField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=AttendeeRole.choices, **kwargs)


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Division
        fields = ["code", "name", "level"]
        read_only_fields = fields


class ContactDaySerializer(serializers.ModelSerializer):
    kind = KindField(read_only=True)
    division = PlaceSerializer(read_only=True, help_text="the township (10th) or county (20th) holding it")
    working_day = serializers.SerializerMethodField(help_text="false on a weekend (the day keeps its date)")
    attendee_count = serializers.IntegerField(read_only=True)
    attended_count = serializers.IntegerField(read_only=True)
    legal_attended_count = serializers.IntegerField(read_only=True, help_text="police, judges, lawyers present")
    visit_count = serializers.IntegerField(read_only=True, help_text="villages visited (10th)")
    households_visited = serializers.IntegerField(read_only=True)
    matter_count = serializers.IntegerField(read_only=True, help_text="matters raised there or sent to it")

    class Meta:
        model = ContactDay
        fields = ["id", "kind", "date", "division", "held", "working_day", "attendee_count", "attended_count",
                  "legal_attended_count", "visit_count", "households_visited", "matter_count"]
        read_only_fields = fields

    def get_working_day(self, obj) -> bool:
        calendar = self.context.get("calendar")
        if calendar is None:
            calendar = self.context["calendar"] = work_calendar()
        return calendar.is_working_day(obj.date)


class AttendeeSerializer(serializers.ModelSerializer):
    role = RoleField(read_only=True)
    organization = serializers.CharField(source="organization.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = ContactDayAttendee
        fields = ["id", "name", "role", "organization", "attended"]
        read_only_fields = fields


class DayVisitSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    village = PlaceSerializer(read_only=True)
    visitors = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    households_visited = serializers.IntegerField(read_only=True)


class MatterBriefSerializer(serializers.Serializer):
    """A matter as a contact day or a visit lists it: what it is and where it stands, no personal data."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    type = serializers.CharField(read_only=True, help_text="demand, dispute, hazard, suggestion, other")
    source = serializers.CharField(read_only=True, help_text="contact_day, visit, walk_in, phone, online")
    status = serializers.CharField(read_only=True)
    level = serializers.CharField(read_only=True, help_text="where it is held now")
    grid = serializers.CharField(source="grid.code", read_only=True, help_text="grid code")
    reported_at = serializers.DateTimeField(read_only=True)


class LegalLiaisonSerializer(serializers.Serializer):
    role = RoleField(read_only=True)
    listed = serializers.IntegerField(read_only=True, help_text="attendees listed in that role")
    attended = serializers.BooleanField(read_only=True, help_text="whether one of them came")


class ContactDayDetailSerializer(ContactDaySerializer):
    agenda = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    attendees = AttendeeSerializer(many=True, read_only=True)
    visits = DayVisitSerializer(many=True, read_only=True)
    matters = MatterBriefSerializer(many=True, read_only=True,
                                    help_text="raised there or sent to it; on a 20th not yet held, also the open "
                                              "matters held at the county level (its agenda)")
    legal_liaison = LegalLiaisonSerializer(many=True, read_only=True, help_text="20th only: each role expected")
    no_meeting = serializers.CharField(read_only=True, help_text="why the level holds no meetings that day")

    class Meta(ContactDaySerializer.Meta):
        fields = [*ContactDaySerializer.Meta.fields, "agenda", "summary", "no_meeting", "legal_liaison",
                  "attendees", "visits", "matters"]
        read_only_fields = fields


class PlanInput(serializers.Serializer):
    division = serializers.CharField(max_length=15, help_text="township or county code")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    townships = serializers.BooleanField(required=False, default=False,
                                         help_text="at a county: plan each township's 10th as well")
    agenda = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class PlanResult(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    days = ContactDaySerializer(many=True)
    created = serializers.ListField(child=serializers.IntegerField(), help_text="ids of the days created now")
    notes = serializers.ListField(child=serializers.CharField(), help_text="weekends kept, holidays moved")
    expected_legal_liaison = serializers.ListField(child=RoleField())


class AttendeeInput(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=60,
                                 help_text="defaults to the user's name")
    role = RoleField(required=False, default=AttendeeRole.CADRE)
    user = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="user id")
    organization = serializers.IntegerField(required=False, allow_null=True, default=None,
                                            help_text="organization id")
    attended = serializers.BooleanField(required=False, default=False)


class AttendanceInput(serializers.Serializer):
    attendee = serializers.IntegerField(help_text="attendee id")
    attended = serializers.BooleanField(default=True)


class DayVisitInput(serializers.Serializer):
    village = serializers.CharField(max_length=15, help_text="village code, in the contact day's township")
    visitors = serializers.CharField(max_length=300)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    households_visited = serializers.IntegerField(required=False, default=0, min_value=0, max_value=10000)


class MatterInput(serializers.Serializer):
    type = serializers.ChoiceField(choices=MatterType.choices)
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.CharField(required=False, allow_blank=True, default="", help_text="category code")
    raised_by_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    raised_by_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=30,
                                            write_only=True)


class DayMatterInput(MatterInput):
    grid = serializers.CharField(max_length=15, help_text="grid code, within the contact day's division")
    household = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="household id")


class HoldInput(serializers.Serializer):
    summary = serializers.CharField(max_length=5000)


class MeetingAllowedResult(serializers.Serializer):
    level = serializers.CharField()
    date = serializers.DateField()
    allowed = serializers.BooleanField()
    reason = serializers.CharField()


class VisitSerializer(serializers.ModelSerializer):
    household_number = serializers.CharField(source="household.number", read_only=True)
    grid = serializers.SlugRelatedField(slug_field="code", read_only=True)
    village = serializers.SlugRelatedField(slug_field="code", read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    matter_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Visit
        fields = ["id", "household", "household_number", "grid", "village", "township", "visited_on",
                  "visitor_names", "notes", "matter_count"]
        read_only_fields = fields


class VisitDetailSerializer(VisitSerializer):
    matters = MatterBriefSerializer(many=True, read_only=True)

    class Meta(VisitSerializer.Meta):
        fields = [*VisitSerializer.Meta.fields, "matters"]
        read_only_fields = fields


class VisitInput(serializers.Serializer):
    household = serializers.IntegerField(help_text="household id")
    visited_on = serializers.DateField(required=False, help_text="defaults to today; not in the future")
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    visitor_names = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                          help_text="defaults to your name")


class CoverageRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    households = serializers.IntegerField(help_text="active households")
    visited = serializers.IntegerField(help_text="households visited in the period")
    share = serializers.FloatField(help_text="visited / households, 0..1")


class CoverageLevelSerializer(serializers.Serializer):
    level = serializers.CharField()
    rows = CoverageRowSerializer(many=True)


class CoverageSerializer(serializers.Serializer):
    within = PlaceSerializer()
    period = serializers.CharField()
    start = serializers.DateField(help_text="first day of the month or quarter")
    end = serializers.DateField(help_text="the day asked about (inclusive)")
    total = CoverageRowSerializer()
    levels = CoverageLevelSerializer(many=True)
