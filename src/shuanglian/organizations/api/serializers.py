"""Organization API shapes; `division` is a division code, `parent` an organization id."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuanglian.divisions.api.serializers import DivisionCodeField

from ..choices import Function, OrganizationKind
from ..models import Organization


@extend_schema_field({"type": "string", "enum": OrganizationKind.values}, component_name="OrganizationKindEnum")
class OrganizationKindField(serializers.ChoiceField):
    """Named as its own schema component: divisions have a `kind` too."""

    def __init__(self, **kwargs):
        super().__init__(choices=OrganizationKind.choices, **kwargs)


class OrganizationSerializer(serializers.ModelSerializer):
    kind = OrganizationKindField(read_only=True)
    division = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="code of the division served")
    division_name = serializers.CharField(source="division.name", read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "function", "division", "division_name", "parent", "phone", "address",
                  "is_active"]
        read_only_fields = fields


class OrganizationCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = OrganizationKindField()
    function = serializers.ChoiceField(choices=Function.choices, required=False, default=Function.GENERAL)
    division = DivisionCodeField(help_text="code of the division served")
    parent = serializers.IntegerField(required=False, allow_null=True, help_text="id of the parent organization")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class OrganizationUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    kind = OrganizationKindField(required=False)
    function = serializers.ChoiceField(choices=Function.choices, required=False)
    parent = serializers.IntegerField(required=False, allow_null=True, help_text="id of the parent organization")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
