"""Matter API shapes. The phone of whoever raised a matter is personal information: masked, and shown
only to viewers who may see personal information where the matter is (archives.view_pii)."""
from django.urls import reverse
from rest_framework import serializers

from shuanglian.archives.selectors import pii_scope

from .. import policies, services
from ..choices import Action, Level, LimitUnit, MatterType, Satisfaction, Source, Stage
from ..models import Attachment, Category, Matter, Supervision, Transition


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "type", "code", "name", "position", "is_active"]


class TransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label")
    holder = serializers.CharField(source="holder_label")

    class Meta:
        model = Transition
        fields = ["action", "from_status", "to_status", "from_level", "to_level", "actor", "holder", "reason", "at"]


class SupervisionSerializer(serializers.ModelSerializer):
    raised_by = serializers.CharField(source="raised_by.display_name", default="", read_only=True)

    class Meta:
        model = Supervision
        fields = ["card", "stage", "level", "deadline_at", "note", "raised_by", "raised_at"]


class MatterSerializer(serializers.ModelSerializer):
    grid = serializers.CharField(source="grid.code", default=None)
    grid_name = serializers.CharField(source="grid.name", default=None)
    village = serializers.CharField(source="village.name", default=None)
    township = serializers.CharField(source="township.name", default=None)
    category = serializers.CharField(source="category.code", default=None)
    holder = serializers.SerializerMethodField()
    raised_by_phone = serializers.SerializerMethodField()

    class Meta:
        model = Matter
        fields = ["id", "number", "type", "category", "source", "title", "status", "level", "holder", "grid",
                  "grid_name", "village", "township", "household", "raised_by_name", "raised_by_phone",
                  "stage", "deadline_at", "deadline_state", "supervision", "reported_at", "resolved_at",
                  "closed_at", "reopened"]

    def get_holder(self, matter) -> str:
        return services.holder_label(matter)

    def get_raised_by_phone(self, matter) -> str | None:
        scope = self.context.get("pii_scope")
        if scope is None:
            request = self.context.get("request")
            scope = self.context["pii_scope"] = pii_scope(getattr(request, "user", None))
        if not matter.raised_by_phone or not scope.covers_record(matter):
            return None
        return matter.raised_by_phone.masked


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "uploaded_at", "url"]

    def get_url(self, row) -> str:
        # Served only through the scoped page view, never as a public media URL.
        return reverse("matters:attachment", args=[row.matter_id, row.pk])


class MatterDetailSerializer(MatterSerializer):
    timeline = TransitionSerializer(many=True, source="transitions.all")
    attachments = AttachmentSerializer(many=True, source="attachments.all")
    supervisions = SupervisionSerializer(many=True, source="supervisions.all")
    allowed_actions = serializers.SerializerMethodField()
    persons = serializers.SerializerMethodField()

    class Meta(MatterSerializer.Meta):
        fields = [*MatterSerializer.Meta.fields, "description", "result", "satisfaction", "contact_day",
                  "visit", "persons", "accepted_at", "timeline", "supervisions", "attachments", "allowed_actions"]

    def get_allowed_actions(self, matter) -> list[str]:
        user = getattr(self.context.get("request"), "user", None)
        if not policies.may_handle(user, matter):
            return []
        return [str(a) for a in services.allowed_actions(matter)]

    def get_persons(self, matter) -> list[dict]:
        return [{"id": p.pk, "name": p.name} for p in matter.persons.all()]


class MatterCreateInput(serializers.Serializer):
    grid = serializers.CharField(help_text="grid code")
    type = serializers.ChoiceField(choices=MatterType.choices)
    category = serializers.CharField(required=False, allow_blank=True, help_text="category code")
    source = serializers.ChoiceField(choices=Source.choices)
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    household = serializers.IntegerField(required=False, allow_null=True)
    persons = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    raised_by_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    raised_by_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    contact_day = serializers.IntegerField(required=False, allow_null=True)
    visit = serializers.IntegerField(required=False, allow_null=True)


class ActionInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    user = serializers.IntegerField(required=False, allow_null=True, help_text="assign: the person")
    organization = serializers.IntegerField(required=False, allow_null=True,
                                            help_text="assign or escalate to a department: the organization")
    result = serializers.CharField(required=False, allow_blank=True, default="", help_text="resolve")
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, required=False, allow_blank=True,
                                           default="", help_text="follow_up")


class AttachmentInput(serializers.Serializer):
    file = serializers.FileField(help_text="a photo (JPEG, PNG, HEIC, WebP, GIF) or a PDF, at most 10 MB")


class SuperviseInput(serializers.Serializer):
    note = serializers.CharField()


class TimeLimitSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)
    type = serializers.ChoiceField(choices=MatterType.choices)
    stage = serializers.ChoiceField(choices=Stage.choices)
    amount = serializers.IntegerField(min_value=1, max_value=365)
    unit = serializers.ChoiceField(choices=LimitUnit.choices)
    warn_before = serializers.IntegerField(min_value=0, max_value=364)
    custom = serializers.BooleanField(read_only=True)


class SupervisionBoardRow(serializers.Serializer):
    township = serializers.CharField(source="township__code")
    township_name = serializers.CharField(source="township__name")
    yellow = serializers.IntegerField()
    red = serializers.IntegerField()


ACTIONS = [a.value for a in Action if a != Action.REPORT]
