"""Team member API shapes. A row is one post (a member on one grid's team); phones are always masked."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import Category, TeamRole
from ..models import Membership


@extend_schema_field({"type": "string", "nullable": True, "example": "139****5678", "description": "masked"})
class MaskedPhoneField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.masked or None


@extend_schema_field({"type": "string", "pattern": "^(promoter|volunteer)$",
                      "description": "`promoter` (one per grid) or `volunteer`"})
class TeamRoleField(serializers.ChoiceField):
    """A grid team role. Described by a pattern, not an enum: spectacular names enums after the field, and
    "role" already names the account roles' enum (settings are not this app's to change)."""

    def __init__(self, **kwargs):
        super().__init__(choices=TeamRole.choices, **kwargs)


class TeamMemberSerializer(serializers.ModelSerializer):
    role = TeamRoleField(read_only=True)
    grid = serializers.CharField(source="grid.code", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    village = serializers.CharField(source="village.code", read_only=True, default=None)
    member = serializers.IntegerField(source="member_id", read_only=True, help_text="the person, across grids")
    name = serializers.CharField(source="member.name", read_only=True)
    phone = MaskedPhoneField(source="member.phone")
    category = serializers.ChoiceField(source="member.category", choices=Category.choices, read_only=True)
    employer = serializers.CharField(source="member.employer", read_only=True)
    from_public_institution = serializers.BooleanField(source="member.from_public_institution", read_only=True)
    user = serializers.IntegerField(source="member.user_id", read_only=True, allow_null=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "grid", "grid_name", "village", "role", "member", "name", "phone", "category", "employer",
                  "from_public_institution", "user", "started_on", "ended_on", "end_reason", "is_current"]
        read_only_fields = fields


class TeamMemberCreateInput(serializers.Serializer):
    grid = serializers.CharField(help_text="grid code")
    role = TeamRoleField()
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=Category.choices)
    employer = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    from_public_institution = serializers.BooleanField(required=False, default=False)
    started_on = serializers.DateField(required=False, allow_null=True, default=None)
    user = serializers.IntegerField(required=False, allow_null=True, default=None,
                                    help_text="a user account holding the matching grid grant here")


class TeamMemberEndInput(serializers.Serializer):
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TeamStatsQuery(serializers.Serializer):
    within = serializers.CharField(required=False, allow_blank=True, help_text="division code (subtree)")


class TeamStatsSerializer(serializers.Serializer):
    promoters = serializers.IntegerField()
    volunteers = serializers.IntegerField(help_text="distinct persons holding a current volunteer post")
    public_volunteers = serializers.IntegerField(help_text="of them, from public institutions")
    public_share = serializers.FloatField(allow_null=True, help_text="public_volunteers / volunteers, 3 decimals")
    grids_without_promoter = serializers.IntegerField()
    categories = serializers.DictField(child=serializers.IntegerField(),
                                       help_text="current members (distinct persons, either role) by category")


class TeamCoverageQuery(TeamStatsQuery):
    size = serializers.IntegerField(required=False, min_value=1, max_value=50,
                                    help_text="report teams with fewer people than this")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=50,
                                     help_text="report people holding posts in more grids than this")
    trained_since = serializers.DateField(required=False, help_text="count only training held on or after")
    trained_until = serializers.DateField(required=False, help_text="count only training held on or before")


class TeamCoverageGrid(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    village = serializers.CharField(source="parent.name")
    team_size = serializers.IntegerField(required=False)


class TeamCoverageMember(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.CharField()
    grids = serializers.IntegerField()


class TeamCoverageUntrained(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.CharField()


class TeamCoverageSerializer(serializers.Serializer):
    without_promoter = TeamCoverageGrid(many=True, help_text="current grids without a current promoter (first 500)")
    below_size = TeamCoverageGrid(many=True, help_text="grids whose team is smaller than `size` (first 500)")
    in_too_many_grids = TeamCoverageMember(many=True, help_text="people in more than `limit` grids (first 500)")
    without_training = TeamCoverageUntrained(many=True, help_text="current members who attended no training session "
                                                                  "(in the period, if given; first 500)")
