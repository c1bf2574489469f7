"""Archive API shapes.

What a viewer sees of a record is decided in one place, `ViewerScopedSerializer`, used by both the
household and the person serializers:

- Fields that `archives.disclosure` calls public (`Meta.public_fields` is derived from it) go to everyone
  who may see the record at all (archives.view): a household's number, address, divisions, member
  count, completeness and non-sensitive tags; a person's name, relation to the head, household number
  and address.
- Every other field goes only to viewers whose `selectors.pii_scope(user)` covers the record. For
  anyone else the keys are *omitted* (not nulled), so a missing key means "not yours to see" and a null
  means "not recorded". Sensitive tags (Tag.sensitive) are left out of `tags` by the same rule.
- ID numbers and phones are always the masked string (`330803********123X`, `139****5678`); the full
  value comes only from POST /persons/<id>/reveal/, audited.

The pii scope is computed once per request (`ArchiveViewer`, put in the serializer context by the view).
"""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject

from shuanglian.core import clock
from shuanglian.core.pii import PIIValue, normalize

from .. import disclosure, selectors
from ..choices import RelationToHead, ResidenceStatus, Sex
from ..models import Household, Person, Tag


class ArchiveViewer:
    """One request's viewer: where they may see personal information, and today's date for ages."""

    def __init__(self, user):
        self.pii = selectors.pii_scope(user)
        self.today = clock.today()

    def sees_pii(self, record) -> bool:
        return self.pii.covers_record(record)


class ViewerScopedSerializer(serializers.Serializer):
    """Mixin: fields outside `Meta.public_fields` are shown only where the viewer may see PII (else omitted)."""

    @property
    def viewer(self) -> ArchiveViewer:
        context = self.context  # the root's dict, shared with nested serializers
        if "viewer" not in context:
            request = context.get("request")
            context["viewer"] = ArchiveViewer(getattr(request, "user", None))  # no request: no PII
        return context["viewer"]

    def sees_pii(self, record) -> bool:
        return self.viewer.sees_pii(record)

    def to_representation(self, instance):
        shown = None if self.sees_pii(instance) else set(self.Meta.public_fields)
        data = {}
        for field in self._readable_fields:
            if shown is not None and field.field_name not in shown:
                continue  # never even read: the value does not leave the model
            attribute = field.get_attribute(instance)
            empty = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            data[field.field_name] = None if empty is None else field.to_representation(attribute)
        return data


@extend_schema_field({"type": "string", "nullable": True, "example": "330803********123X",
                      "description": "masked; null when not recorded; omitted for viewers without PII access"})
class MaskedField(serializers.Field):
    """An encrypted value in its masked form. The plaintext is never what this field renders."""

    def __init__(self, kind: str, **kwargs):
        self.kind = kind
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        if not isinstance(value, PIIValue):
            value = PIIValue(self.kind, normalize(self.kind, str(value)))
        return value.masked or None


class HouseholdSerializer(ViewerScopedSerializer, serializers.ModelSerializer):
    grid = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="grid code")
    village = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="village code")
    township = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="township code")
    member_count = serializers.IntegerField(read_only=True, help_text="active members")
    tags = serializers.SerializerMethodField(help_text="tag codes; sensitive ones only for viewers with PII access")
    annual_income = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True,
                                             help_text="yuan; omitted for viewers without PII access")

    class Meta:
        model = Household
        fields = ["id", "number", "address", "grid", "village", "township", "member_count", "tags",
                  "completeness", "updated_at", "house", "annual_income", "land_notes", "livelihood_notes"]
        read_only_fields = fields
        public_fields = disclosure.public_fields(fields, disclosure.HOUSEHOLD)

    def get_tags(self, obj) -> list[str]:
        full = self.sees_pii(obj)
        if "tags_by_index" not in self.context:  # once per response: the context is the list's too
            self.context["tags_by_index"] = Tag.by_index()
        return [t.code for t in obj.tag_list(self.context["tags_by_index"]) if disclosure.tag_shown(t, sees_pii=full)]


class PersonSerializer(ViewerScopedSerializer, serializers.ModelSerializer):
    household_number = serializers.CharField(source="household.number", read_only=True)
    address = serializers.CharField(source="household.address", read_only=True, help_text="the household's")
    grid = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="grid code")
    id_number = MaskedField("id_number")
    phone = MaskedField("phone")
    age = serializers.SerializerMethodField(help_text="whole years today; omitted without PII access")

    class Meta:
        model = Person
        fields = ["id", "household", "household_number", "name", "relation_to_head", "address", "grid",
                  "id_number", "phone", "sex", "birth_date", "age", "ethnicity", "education", "occupation",
                  "skills", "health", "political_status", "residence_status", "updated_at"]
        read_only_fields = fields
        public_fields = disclosure.public_fields(fields, disclosure.PERSON)

    def get_age(self, obj) -> int | None:
        return selectors.person_age(obj.birth_date, self.viewer.today)


class HouseholdDetailSerializer(HouseholdSerializer):
    """A household file: the household and its active members, each shown by the same rule."""

    members = PersonSerializer(many=True, read_only=True, source="active_members")

    class Meta(HouseholdSerializer.Meta):
        fields = [*HouseholdSerializer.Meta.fields, "members"]
        read_only_fields = fields
        public_fields = [*HouseholdSerializer.Meta.public_fields, "members"]  # each member by the person rule


# --- input: only the shape of a request; the services decide the rest ----------------------------------


def _text(max_length: int, **kwargs):
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


class HouseholdInput(serializers.Serializer):
    number = serializers.CharField(max_length=30, required=False)
    address = _text(200)
    house = _text(200)
    annual_income = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False,
                                             allow_null=True, help_text="yuan")
    land_notes = serializers.CharField(required=False, allow_blank=True)
    livelihood_notes = serializers.CharField(required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                 help_text="tag codes; replaces the household's tags")


class HouseholdCreateInput(HouseholdInput):
    grid = serializers.CharField(max_length=15, help_text="grid code")
    number = serializers.CharField(max_length=30)


class PersonInput(serializers.Serializer):
    name = serializers.CharField(max_length=50, required=False)
    relation_to_head = serializers.ChoiceField(choices=RelationToHead.choices, required=False)
    id_number = _text(30, write_only=True, help_text="18 characters; sex and birth date are derived from it")
    phone = _text(30, write_only=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    ethnicity = _text(20)
    education = _text(20)
    occupation = _text(50)
    skills = _text(200)
    health = _text(100)
    political_status = _text(20)
    residence_status = serializers.ChoiceField(choices=ResidenceStatus.choices, required=False)


class PersonCreateInput(PersonInput):
    household = serializers.IntegerField(help_text="household id")
    name = serializers.CharField(max_length=50)
    relation_to_head = serializers.ChoiceField(choices=RelationToHead.choices)


class PersonSearchInput(serializers.Serializer):
    """The person list's filters, sent in the body (POST /persons/search/) so a full number is in no URL."""

    id_number = _text(30, help_text="exact")
    phone = _text(30, help_text="exact")
    name = _text(50, help_text="starts with")
    address = _text(200)
    tag = _text(40, help_text="household tag code")
    within = _text(15, help_text="division code")
    household = serializers.IntegerField(required=False, min_value=1)


class RevealInput(serializers.Serializer):
    field = serializers.CharField(required=False, allow_blank=True, default="", help_text="id_number or phone")
    reason = serializers.CharField(required=False, allow_blank=True, allow_null=True, default="", max_length=500,
                                   help_text="why the full value is needed; recorded in the audit log")


class RevealResult(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField(help_text="the full value")

