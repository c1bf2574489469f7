"""Association API shapes. A person's phone is always masked; `member` is the person's id across grid teams
and associations (teams.Member)."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuanglian.teams.api.serializers import MaskedPhoneField
from shuanglian.teams.choices import Category

from ..choices import AssociationKind, Post
from ..models import AssociationPost, Meeting
from ..services import MAX_DECISION


@extend_schema_field({"type": "string", "enum": AssociationKind.values}, component_name="AssociationKindEnum")
class AssociationKindField(serializers.ChoiceField):
    """Its own schema component: divisions and organizations have a `kind` too."""

    def __init__(self, **kwargs):
        super().__init__(choices=AssociationKind.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": Post.values}, component_name="AssociationPostEnum")
class PostField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Post.choices, **kwargs)


class AssociationPostSerializer(serializers.ModelSerializer):
    post = PostField(read_only=True)
    member = serializers.IntegerField(source="member_id", read_only=True, help_text="the person")
    name = serializers.CharField(source="member.name", read_only=True)
    phone = MaskedPhoneField(source="member.phone")
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = AssociationPost
        fields = ["id", "association", "post", "member", "name", "phone", "started_on", "ended_on", "end_reason",
                  "is_current"]
        read_only_fields = fields


class MeetingAttendeeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AssociationMeetingSerializer(serializers.ModelSerializer):
    attendees = MeetingAttendeeSerializer(many=True, read_only=True, help_text="post holders on record")
    decisions = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "association", "held_on", "topic", "attendee_count", "attendees", "minutes", "decisions"]
        read_only_fields = fields


class AssociationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = AssociationKindField(source="association_kind", read_only=True)
    division = serializers.CharField(source="division.code", help_text="code of the township or village served")
    division_name = serializers.CharField(source="division.name")
    parent = serializers.IntegerField(source="parent_id", allow_null=True,
                                      help_text="a promotion association's general association")
    president = serializers.CharField(source="president_name", allow_null=True)
    people = serializers.IntegerField(help_text="current post holders, officers and members")
    last_meeting = serializers.DateField(allow_null=True)


class AssociationDetailSerializer(AssociationSerializer):
    officers = AssociationPostSerializer(many=True, help_text="current president, vice-presidents, secretaries, officers")
    members_count = serializers.IntegerField(help_text="current holders of the post `member`")
    recent_meetings = AssociationMeetingSerializer(many=True, help_text="the five latest")


class AssociationPostQuery(serializers.Serializer):
    current = serializers.BooleanField(required=False, allow_null=True, default=None,
                                       help_text="true: current posts; false: history; absent: both")


class AssociationPostInput(serializers.Serializer):
    post = PostField()
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                  help_text="11-digit mobile; the same phone is the same person as on a grid team")
    category = serializers.ChoiceField(choices=Category.choices, required=False, default=Category.OTHER,
                                       help_text="for a person not yet recorded")
    employer = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    started_on = serializers.DateField(required=False, allow_null=True, default=None)


class AssociationPostEndInput(serializers.Serializer):
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AssociationMeetingInput(serializers.Serializer):
    held_on = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    attendee_count = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                              max_value=100000, help_text="defaults to the number listed")
    attendees = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                      max_length=1000, help_text="ids (`member`) of post holders who attended")
    minutes = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    decisions = serializers.ListField(child=serializers.CharField(max_length=MAX_DECISION), required=False,
                                      default=list, max_length=100)
