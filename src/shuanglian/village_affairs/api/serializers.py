"""Village affairs over the API: output shapes, and input shapes only (the services decide)."""
from rest_framework import serializers

from ..choices import (
    BodyKind,
    DecisionCategory,
    DisclosureKind,
    MeetingKind,
    PledgeKind,
    PostKind,
    ReviewOpinion,
)
from ..models import Decision, DecisionStep, Disclosure, Meeting, Motion, Pledge, Post, Representative


class MotionSerializer(serializers.ModelSerializer):
    outcome_text = serializers.CharField(source="outcome_display", read_only=True)

    class Meta:
        model = Motion
        fields = ["id", "text", "votes_for", "votes_against", "abstaining", "passed", "outcome_text"]


class MeetingSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="village.code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    motions = MotionSerializer(many=True, read_only=True)
    quorum_text = serializers.CharField(source="quorum_display", read_only=True,
                                        help_text='e.g. "32 of 45 present: quorum needs 30 — reached"')

    class Meta:
        model = Meeting
        fields = ["id", "village", "village_name", "kind", "title", "held_on", "place", "notice_on", "agenda_sent_on",
                  "agenda", "eligible", "present", "households_eligible", "households_present", "quorate",
                  "quorum_text", "warnings", "minutes", "motions"]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = DecisionStep
        fields = ["action", "from_status", "to_status", "actor_label", "reason", "at", "meeting", "motion", "text",
                  "place", "on"]


class DecisionSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="village.code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "village", "village_name", "title", "category", "procedure", "steps", "status", "proposed_on",
                  "voted_on", "completed_on", "result", "deadline_at", "deadline_state", "reviews_overdue"]


class DecisionDetailSerializer(DecisionSerializer):
    timeline = StepSerializer(many=True, read_only=True)
    links = serializers.SerializerMethodField()

    class Meta(DecisionSerializer.Meta):
        fields = [*DecisionSerializer.Meta.fields, "timeline", "links"]

    def get_links(self, decision) -> list[int]:
        return [link.matter_id for link in decision.links.all()]


class DisclosureSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="village.code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = Disclosure
        fields = ["id", "village", "village_name", "kind", "title", "posted_on", "place", "text", "decision"]


class MotionInput(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    votes_for = serializers.IntegerField(min_value=0)
    votes_against = serializers.IntegerField(min_value=0, default=0)
    abstaining = serializers.IntegerField(min_value=0, default=0)


class MeetingInput(serializers.Serializer):
    village = serializers.CharField(max_length=15, help_text="the village's code")
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    present = serializers.IntegerField(min_value=0)
    eligible = serializers.IntegerField(min_value=0, required=False,
                                        help_text="who may attend, where the archive and the bodies do not say")
    households_present = serializers.IntegerField(min_value=0, default=0)
    households_eligible = serializers.IntegerField(min_value=0, required=False)
    place = serializers.CharField(max_length=100, default="", allow_blank=True)
    notice_on = serializers.DateField(required=False)
    agenda_sent_on = serializers.DateField(required=False)
    agenda = serializers.CharField(default="", allow_blank=True)
    attendees = serializers.CharField(default="", allow_blank=True)
    minutes = serializers.CharField(default="", allow_blank=True)
    motions = MotionInput(many=True, required=False)


class DecisionInput(serializers.Serializer):
    village = serializers.CharField(max_length=15, help_text="the village's code")
    title = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=DecisionCategory.choices)
    proposed_on = serializers.DateField(required=False)
    procedure = serializers.CharField(max_length=40, required=False, help_text="default: the county's procedure")


class StepInput(serializers.Serializer):
    action = serializers.CharField(max_length=50, help_text="a step code of the procedure, or approve / return")
    reason = serializers.CharField(default="", allow_blank=True)
    meeting = serializers.IntegerField(required=False)
    motion = serializers.IntegerField(required=False)
    text = serializers.CharField(default="", allow_blank=True)
    place = serializers.CharField(default="", allow_blank=True, max_length=100)
    on = serializers.DateField(required=False)
    result = serializers.CharField(default="", allow_blank=True)


class LinkInput(serializers.Serializer):
    matter = serializers.IntegerField()


class DisclosureInput(serializers.Serializer):
    village = serializers.CharField(max_length=15, help_text="the village's code")
    kind = serializers.ChoiceField(choices=DisclosureKind.choices)
    title = serializers.CharField(max_length=200)
    posted_on = serializers.DateField()
    place = serializers.CharField(max_length=100)
    text = serializers.CharField()
    decision = serializers.IntegerField(required=False)


class VillageAffairsStatsQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100, help_text="default: this year")
    within = serializers.CharField(required=False, max_length=15, help_text="a division code in your scope")


class VillageAffairsStatsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    within = serializers.CharField(allow_null=True)
    joint_meetings = serializers.IntegerField()
    representatives_meetings = serializers.IntegerField()
    meetings_by_kind = serializers.DictField(child=serializers.IntegerField())
    decisions_voted = serializers.IntegerField()
    decisions_complete = serializers.IntegerField()
    steps_overdue = serializers.IntegerField()
    disclosure_on_time_rate = serializers.FloatField(allow_null=True)


class PledgeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pledge
        fields = ["id", "kind", "text", "signed_on", "document", "reviewed_on", "review_opinion", "review_note"]


class PostSerializer(serializers.ModelSerializer):
    pledges = PledgeSerializer(many=True, read_only=True)

    class Meta:
        model = Post
        fields = ["id", "body", "post", "name", "woman", "held_from", "held_to", "term_ends", "pledges"]


class RepresentativeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Representative
        fields = ["id", "name", "woman", "households", "held_from", "held_to"]


class BodiesSerializer(serializers.Serializer):
    village = serializers.CharField(source="village.code")
    population = serializers.IntegerField()
    minimum = serializers.IntegerField(help_text="the representatives' minimum for the population (Zhejiang)")
    posts = PostSerializer(many=True)
    representatives = RepresentativeSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


class PostInput(serializers.Serializer):
    body = serializers.ChoiceField(choices=BodyKind.choices)
    post = serializers.ChoiceField(choices=PostKind.choices)
    name = serializers.CharField(max_length=60)
    woman = serializers.BooleanField(default=False)
    held_from = serializers.DateField()


class RepresentativeInput(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    woman = serializers.BooleanField(default=False)
    households = serializers.IntegerField()
    held_from = serializers.DateField()


class PledgeInput(serializers.Serializer):
    post = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PledgeKind.choices)
    text = serializers.CharField()
    signed_on = serializers.DateField()
    document = serializers.FileField(required=False)


class PledgeReviewInput(serializers.Serializer):
    opinion = serializers.ChoiceField(choices=ReviewOpinion.choices)
    note = serializers.CharField(default="", allow_blank=True, max_length=300)
