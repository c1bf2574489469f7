"""Village affairs over the API: /api/v1/village-meetings/, /api/v1/village-decisions/ (with the step action),
/api/v1/disclosures/ and /api/v1/stats/village-affairs/. Reads go through the selectors (out of scope reads as
404); writes call the same services as the pages (403, 400 naming the field, 409 illegal_transition)."""
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from shuanglian.core import clock
from shuanglian.core.api_views import error_responses
from shuanglian.core.exceptions import NotFound, ValidationFailed
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.selectors import division_get_for_user
from shuanglian.matters.selectors import matter_list_visible_to

from .. import filtersets, policies, selectors, services
from ..models import Decision, Disclosure, Meeting, Post
from .serializers import (
    BodiesSerializer,
    DecisionDetailSerializer,
    DecisionInput,
    DecisionSerializer,
    DisclosureInput,
    DisclosureSerializer,
    LinkInput,
    MeetingInput,
    MeetingSerializer,
    PledgeInput,
    PledgeReviewInput,
    PostInput,
    RepresentativeInput,
    StepInput,
    VillageAffairsStatsQuery,
    VillageAffairsStatsSerializer,
)

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
PLEDGE_ID = OpenApiParameter("pledge_id", OpenApiTypes.INT, OpenApiParameter.PATH)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409)


class _Base(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"[0-9]+"

    def list(self, request, *args, **kwargs):
        policies.require_view(request.user)
        return super().list(request, *args, **kwargs)

    def _input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary="Village meetings you may see", responses={200: MeetingSerializer,
                                                                          **error_responses(400, 401, 403)}),
    retrieve=extend_schema(summary="One meeting with its quorum and motions", parameters=[ID],
                           responses={200: MeetingSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Record a meeting: attendance, quorum checked by kind, motions and votes",
                         request=MeetingInput, responses={201: MeetingSerializer, **WRITE_ERRORS}),
)
class MeetingViewSet(_Base):
    serializer_class = MeetingSerializer
    filterset_class = filtersets.MeetingFilterSet
    queryset = Meeting.objects.none()

    def get_queryset(self):
        return selectors.meeting_list_visible_to(self.request.user)

    def get_object(self):
        return selectors.meeting_get_for_user(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        data = self._input(MeetingInput)
        village = selectors.village_for_input(request.user, data.pop("village"))
        motions = [services.MotionInput(**m) for m in data.pop("motions", [])]
        meeting = services.meeting_record(actor=request.user, village=village, motions=motions, **data)
        return Response(MeetingSerializer(selectors.meeting_get_for_user(request.user, meeting.pk)).data,
                        status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Major village matters you may see", responses={200: DecisionSerializer,
                                                                                **error_responses(400, 401, 403)}),
    retrieve=extend_schema(summary="One major matter with its procedure's steps and timeline", parameters=[ID],
                           responses={200: DecisionDetailSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Propose a major matter on the county's procedure", request=DecisionInput,
                         responses={201: DecisionDetailSerializer, **WRITE_ERRORS}),
)
class DecisionViewSet(_Base):
    serializer_class = DecisionSerializer
    filterset_class = filtersets.DecisionFilterSet
    queryset = Decision.objects.none()

    def get_queryset(self):
        return selectors.decision_list_visible_to(self.request.user)

    def get_object(self):
        return selectors.decision_get_for_user(self.request.user, self.kwargs["pk"])

    def _render(self, pk, code=status.HTTP_200_OK):
        decision = selectors.decision_get_for_user(self.request.user, pk)
        return Response(DecisionDetailSerializer(decision).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._render(self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        data = self._input(DecisionInput)
        village = selectors.village_for_input(request.user, data.pop("village"))
        decision = services.decision_propose(actor=request.user, village=village, **data)
        return self._render(decision.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="Take the next step (a step code), or the township's approve / return of a filing",
                   parameters=[ID], request=StepInput, responses={200: DecisionDetailSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        decision = self.get_object()
        data = self._input(StepInput)
        meeting = motion = None
        if data.get("meeting") is not None:
            meeting = selectors.meeting_for_input(request.user, data["meeting"])
            if data.get("motion") is not None:
                motion = selectors.motion_for_input(meeting, data["motion"])
        services.decision_step(actor=request.user, decision=decision, action=data["action"], reason=data["reason"],
                               meeting=meeting, motion=motion, text=data["text"], place=data["place"],
                               on=data.get("on"), result=data["result"])
        return self._render(decision.pk)

    @extend_schema(summary="Name a matter or dispute that arose from this decision", parameters=[ID],
                   request=LinkInput, responses={201: DecisionDetailSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def links(self, request, pk=None):
        decision = self.get_object()
        data = self._input(LinkInput)
        matter = get_visible(matter_list_visible_to(request.user), data["matter"], what="matter", field="matter")
        services.decision_link(actor=request.user, decision=decision, matter=matter)
        return self._render(decision.pk, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Disclosure items you may see", responses={200: DisclosureSerializer,
                                                                           **error_responses(400, 401, 403)}),
    retrieve=extend_schema(summary="One disclosure item", parameters=[ID],
                           responses={200: DisclosureSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Post an item on the village's board", request=DisclosureInput,
                         responses={201: DisclosureSerializer, **WRITE_ERRORS}),
)
class DisclosureViewSet(_Base):
    serializer_class = DisclosureSerializer
    filterset_class = filtersets.DisclosureFilterSet
    queryset = Disclosure.objects.none()

    def get_queryset(self):
        return selectors.disclosure_list_visible_to(self.request.user)

    def get_object(self):
        return get_visible(selectors.disclosure_list_visible_to(self.request.user), self.kwargs["pk"],
                           what="disclosure")

    def create(self, request, *args, **kwargs):
        data = self._input(DisclosureInput)
        village = selectors.village_for_input(request.user, data.pop("village"))
        decision_id = data.pop("decision", None)
        decision = selectors.decision_for_input(request.user, decision_id) if decision_id is not None else None
        item = services.disclosure_post(actor=request.user, village=village, decision=decision, **data)
        return Response(DisclosureSerializer(item).data, status=status.HTTP_201_CREATED)


CODE = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description="the village's code")


class VillageBodiesViewSet(viewsets.GenericViewSet):
    """A village's party branch, committee, representatives and cadres' pledges, with their warnings."""

    lookup_field = "code"
    lookup_value_regex = r"[0-9]+"
    serializer_class = BodiesSerializer
    queryset = Post.objects.none()

    def _bodies(self, code, status_code=status.HTTP_200_OK):
        village = selectors.village_get_for_user(self.request.user, code)
        return Response(BodiesSerializer(selectors.bodies_of(village=village, on=clock.today())).data,
                        status=status_code)

    def _input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(summary="A village's bodies today, with their warnings", parameters=[CODE],
                   responses={200: BodiesSerializer, **error_responses(401, 404)})
    def retrieve(self, request, code=None):
        return self._bodies(code)

    @extend_schema(summary="Appoint a post of the branch or the committee (a 5-year term)", parameters=[CODE],
                   request=PostInput, responses={201: BodiesSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def posts(self, request, code=None):
        village = selectors.village_get_for_user(request.user, code)
        services.post_appoint(actor=request.user, village=village, **self._input(PostInput))
        return self._bodies(code, status.HTTP_201_CREATED)

    @extend_schema(summary="Appoint a representative (5 to 15 households)", parameters=[CODE],
                   request=RepresentativeInput, responses={201: BodiesSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def representatives(self, request, code=None):
        village = selectors.village_get_for_user(request.user, code)
        services.representative_appoint(actor=request.user, village=village, **self._input(RepresentativeInput))
        return self._bodies(code, status.HTTP_201_CREATED)

    @extend_schema(summary="Record a cadre's signed pledge (创业承诺, 辞职承诺)", parameters=[CODE],
                   request=PledgeInput, responses={201: BodiesSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def pledges(self, request, code=None):
        village = selectors.village_get_for_user(request.user, code)
        data = self._input(PledgeInput)
        post = selectors.post_for_input(request.user, data.pop("post"))
        if post.village_id != village.pk:
            raise ValidationFailed(_("That post is not of this village."), details={"post": [post.pk]})
        services.pledge_sign(actor=request.user, post=post, **data)
        return self._bodies(code, status.HTTP_201_CREATED)

    @extend_schema(summary="The township's review of a pledge", parameters=[CODE, PLEDGE_ID],
                   request=PledgeReviewInput, responses={200: BodiesSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], url_path=r"pledges/(?P<pledge_id>[0-9]+)/review", url_name="pledge-review")
    def pledge_review(self, request, code=None, pledge_id=None):
        village = selectors.village_get_for_user(request.user, code)
        pledge = selectors.pledge_get_for_user(request.user, pledge_id)
        if pledge.post.village_id != village.pk:
            raise NotFound(_("pledge not found"))
        services.pledge_review(actor=request.user, pledge=pledge, **self._input(PledgeReviewInput))
        return self._bodies(code)


class VillageAffairsStatsView(APIView):
    """The year's village-affairs figures in the caller's scope (the seed's 3,312 / 1,889 / 1,401 for 330803)."""

    @extend_schema(summary="Village-affairs statistics: meetings by kind, decisions voted and complete, overdue "
                           "steps, disclosure on time", parameters=[VillageAffairsStatsQuery],
                   responses={200: VillageAffairsStatsSerializer, **error_responses(400, 401, 403, 404)})
    def get(self, request):
        policies.require_view(request.user)
        query = VillageAffairsStatsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or clock.today().year
        code = query.validated_data.get("within")
        within = division_get_for_user(request.user, code.strip()) if code else None  # out of scope: 404
        return Response(VillageAffairsStatsSerializer(selectors.village_affairs_stats(user=request.user, year=year,
                                                                        within=within)).data)
