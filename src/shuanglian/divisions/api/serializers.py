"""Division API shapes. Output serializers read; input serializers only check the shape of a request."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import Kind, Level
from ..models import Division
from ..selectors import division_ancestors, division_child_counts


class DivisionCodeField(serializers.SlugRelatedField):
    """A current division named by its code, for request bodies elsewhere (a user's or organization's division).

    Whether the actor may act there is the service's question (403), not this field's.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Division.objects.current())
        kwargs.setdefault("help_text", "division code")
        super().__init__(**kwargs)


@extend_schema_field({"type": "string", "enum": [*Kind.values, ""],
                      "description": "street, town, township (townships); community, village (villages); other; "
                                     "'' where a level has no kind, or on input to derive it from the code"},
                     component_name="DivisionKindEnum")
class DivisionKindField(serializers.ChoiceField):
    """A division's kind. Named as its own schema component: organizations have a `kind` too."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        super().__init__(choices=Kind.choices, **kwargs)


class DivisionSerializer(serializers.ModelSerializer):
    # A field named `parent` shadows DRF's Field.parent (the enclosing serializer) in the stubs only.
    parent: serializers.SlugRelatedField = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True, help_text="parent division code")
    kind = DivisionKindField(read_only=True)

    class Meta:
        model = Division
        fields = ["code", "name", "level", "kind", "parent", "planned_households", "valid_from", "retired_on"]
        read_only_fields = fields


class AncestorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Division
        fields = ["code", "name", "level"]
        read_only_fields = fields


class DivisionDetailSerializer(DivisionSerializer):
    successor: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                             help_text="for a retired division: the code it was merged into")
    ancestors = serializers.SerializerMethodField(help_text="the divisions above, top first")
    child_counts = serializers.SerializerMethodField(help_text="current divisions under this one, per level")

    class Meta(DivisionSerializer.Meta):
        fields = [*DivisionSerializer.Meta.fields, "successor", "ancestors", "child_counts"]
        read_only_fields = fields

    @extend_schema_field(AncestorSerializer(many=True))
    def get_ancestors(self, obj):
        return AncestorSerializer(division_ancestors(obj), many=True).data

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"},
                          "example": {Level.VILLAGE.value: 2, Level.GRID.value: 5}})
    def get_child_counts(self, obj):
        return division_child_counts(obj)


class DivisionCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    code = serializers.RegexField(r"^[0-9]+$", max_length=15, required=False,
                                  help_text="omit to take the next free code under the parent")
    kind = DivisionKindField(required=False)
    planned_households = serializers.IntegerField(min_value=0, required=False, allow_null=True,
                                                  help_text="grids only")
    effective_on = serializers.DateField(required=False, help_text="default: today")


class RenameInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    effective_on = serializers.DateField(required=False, help_text="default: today")


class RetireInput(serializers.Serializer):
    effective_on = serializers.DateField(required=False, help_text="default: today")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MergeInput(serializers.Serializer):
    sources = serializers.ListField(child=serializers.CharField(max_length=15),
                                    help_text="codes of the villages merged into this one")
    effective_on = serializers.DateField(required=False, help_text="default: today")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MoveInput(serializers.Serializer):
    village = serializers.CharField(max_length=15, help_text="code of the village the grid moves to")
    effective_on = serializers.DateField(required=False, help_text="default: today")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class SplitInput(serializers.Serializer):
    names = serializers.ListField(child=serializers.CharField(max_length=100, allow_blank=True),
                                  help_text="names of the new grids")
    planned_households = serializers.ListField(
        child=serializers.IntegerField(min_value=0), required=False, default=list,
        help_text="households: first for the grid split, then one per new grid")
    effective_on = serializers.DateField(required=False, help_text="default: today")


class SplitResult(serializers.Serializer):
    grid = DivisionSerializer(help_text="the grid that was split (keeps its code)")
    new_grids = DivisionSerializer(many=True)

