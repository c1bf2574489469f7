"""Contact days, no-meeting days and household visits over the API.

Reads go through the scoped selectors (out of scope reads as 404);
writes call their services, which decide who may (403). Shapes carry names, never phones or ID numbers.
"""
from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shuanglian.archives.selectors import household_list_visible_to
from shuanglian.core import clock
from shuanglian.core.api_views import error_responses
from shuanglian.core.exceptions import NotFound, ValidationFailed
from shuanglian.divisions.choices import Level as DivisionLevel
from shuanglian.divisions.models import Division
from shuanglian.organizations.models import Organization

from .. import filtersets, schedule, selectors, services
from ..models import ContactDay, Visit
from .serializers import (
    AttendanceInput,
    AttendeeInput,
    AttendeeSerializer,
    ContactDayDetailSerializer,
    ContactDaySerializer,
    CoverageSerializer,
    DayMatterInput,
    DayVisitInput,
    DayVisitSerializer,
    HoldInput,
    MatterBriefSerializer,
    MatterInput,
    MeetingAllowedResult,
    PlaceSerializer,
    PlanInput,
    PlanResult,
    VisitDetailSerializer,
    VisitInput,
    VisitSerializer,
)

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409)


# ---------------------------------------------------------------- shapes


# ---------------------------------------------------------------- helpers


def _input(request, serializer_class) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _division(code: str, *, field: str) -> Division:
    """A division the request names. Divisions are public reference data (the national lists): one out of the
    user's scope is refused by the policy that names it (403), or by the day it must lie in (400)."""
    division = Division.objects.current().filter(code=str(code).strip()).first()
    if division is None:
        raise NotFound(_("No division %(code)s.") % {"code": code}, details={field: [code]})
    return division


def _category(code: str):
    return code or None  # matter_report resolves a code and says when it is unknown


# ---------------------------------------------------------------- contact days

LEVEL = OpenApiParameter("level", OpenApiTypes.STR, enum=[DivisionLevel.COUNTY, DivisionLevel.TOWNSHIP,
                                                          DivisionLevel.VILLAGE, DivisionLevel.GRID],
                         required=True, description="the level that would hold the meeting")
DATE = OpenApiParameter("date", OpenApiTypes.DATE, required=True)


@extend_schema_view(
    list=extend_schema(summary="Contact days you may see", responses={200: ContactDaySerializer,
                                                                        **error_responses(400, 401)}),
    retrieve=extend_schema(summary="One contact day: attendance, visits, matters", parameters=[ID],
                           responses={200: ContactDayDetailSerializer, **error_responses(401, 404)}),
)
class ContactDayViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ContactDaySerializer
    filterset_class = filtersets.ContactDayFilterSet
    lookup_value_regex = r"[0-9]+"
    queryset = ContactDay.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return selectors.with_counts(selectors.contact_day_list_visible_to(self.request.user))

    def get_object(self):
        return selectors.contact_day_get_for_user(self.request.user, self.kwargs["pk"])

    def _detail(self, pk, code=status.HTTP_200_OK):
        user = self.request.user
        day = selectors.with_counts(selectors.contact_day_list_visible_to(user)).filter(pk=pk).first()
        if day is None:
            raise NotFound("contact day not found")
        attendees = list(selectors.contact_day_attendees(day))
        allowed, reason = schedule.meeting_allowed(schedule.LEVEL_OF_KIND[day.kind], day.date)
        body = ContactDaySerializer(day, context=self.get_serializer_context()).data
        body.update({
            "agenda": day.agenda, "summary": day.summary,
            "attendees": AttendeeSerializer(attendees, many=True).data,
            "visits": DayVisitSerializer(selectors.contact_day_visits(day), many=True).data,
            "matters": MatterBriefSerializer(selectors.contact_day_matters(user, day).select_related("grid"),
                                             many=True).data,
            "legal_liaison": [{"role": r["role"], "listed": len(r["listed"]), "attended": r["attended"]}
                              for r in selectors.legal_liaison(day, attendees)],
            "no_meeting": "" if allowed else reason,
        })
        return Response(body, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.kwargs["pk"])

    @extend_schema(summary="Plan a month's contact days for a township (its 10th) or the county (its 20th); "
                           "idempotent", request=PlanInput, responses={200: PlanResult, **WRITE_ERRORS})
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def plan(self, request):
        data = _input(request, PlanInput)
        division = _division(data.pop("division"), field="division")
        plan = services.contact_days_plan(actor=request.user, division=division, **data)
        days = selectors.with_counts(ContactDay.objects.filter(pk__in=[d.pk for d in plan.days])
                                        .select_related("division")).order_by("date", "division__code_key")
        context = self.get_serializer_context()
        return Response({"year": plan.year, "month": plan.month,
                         "days": ContactDaySerializer(days, many=True, context=context).data,
                         "created": [d.pk for d in plan.created], "notes": plan.notes,
                         "expected_legal_liaison": plan.expected_legal_liaison},
                        status=status.HTTP_201_CREATED if plan.created else status.HTTP_200_OK)

    @extend_schema(summary="May this level hold a meeting on this day? (no-meeting days)",
                   parameters=[LEVEL, DATE], responses={200: MeetingAllowedResult, **error_responses(400, 401)})
    @action(detail=False, methods=["get"], url_path="meeting-allowed", filter_backends=[], pagination_class=None)
    def meeting_allowed(self, request):
        level = request.query_params.get("level", "")
        try:
            day = dt.date.fromisoformat(request.query_params.get("date", ""))
        except ValueError:
            raise ValidationFailed(_("Give the date as YYYY-MM-DD."), details={"date": [_("Invalid date.")]}) \
                from None
        allowed, reason = schedule.meeting_allowed(level, day)
        return Response({"level": level, "date": day, "allowed": allowed, "reason": reason})

    @extend_schema(summary="List an attendee (invited, or present: attended=true)", parameters=[ID],
                   request=AttendeeInput, responses={201: AttendeeSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def attendees(self, request, pk=None):
        day = self.get_object()
        data = _input(request, AttendeeInput)
        user = organization = None
        if data["user"] is not None:
            user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
            if user is None:
                raise ValidationFailed(_("No such user."), details={"user": [data["user"]]})
        if data["organization"] is not None:
            organization = Organization.objects.select_related("division").filter(pk=data["organization"]).first()
            if organization is None:
                raise ValidationFailed(_("No such organization."), details={"organization": [data["organization"]]})
        attendee = services.contact_day_attendee_add(
            actor=request.user, contact_day=day, name=data["name"], role=data["role"], user=user,
            organization=organization, attended=data["attended"])
        return Response(AttendeeSerializer(attendee).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Tick whether a listed attendee came", parameters=[ID], request=AttendanceInput,
                   responses={200: AttendeeSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def attendance(self, request, pk=None):
        day = self.get_object()
        data = _input(request, AttendanceInput)
        attendee = day.attendees.filter(pk=data["attendee"]).select_related("contact_day__division",
                                                                             "organization").first()
        if attendee is None:
            raise NotFound(_("No such attendee of this contact day."), details={"attendee": [data["attendee"]]})
        attendee = services.contact_day_attendance_mark(actor=request.user, attendee=attendee,
                                                            attended=data["attended"])
        return Response(AttendeeSerializer(attendee).data)

    @extend_schema(summary="Log a visit to a village on a township-village contact day", parameters=[ID],
                   request=DayVisitInput, responses={201: DayVisitSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def visits(self, request, pk=None):
        day = self.get_object()
        data = _input(request, DayVisitInput)
        village = _division(data.pop("village"), field="village")
        visit = services.contact_day_visit_add(actor=request.user, contact_day=day, village=village, **data)
        return Response(DayVisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Raise a matter on the spot on this contact day", parameters=[ID],
                   request=DayMatterInput, responses={201: MatterBriefSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def matters(self, request, pk=None):
        day = self.get_object()
        data = _input(request, DayMatterInput)
        grid = _division(data.pop("grid"), field="grid")
        household_id = data.pop("household")
        household = None
        if household_id is not None:
            household = household_list_visible_to(request.user).filter(pk=household_id).first()
            if household is None:
                raise NotFound(_("No household %(id)s that you may see.") % {"id": household_id})
        matter = services.contact_day_matter_raise(actor=request.user, contact_day=day, grid=grid,
                                                       household=household, category=_category(data.pop("category")),
                                                       **data)
        return Response(MatterBriefSerializer(matter).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Mark the contact day held, with its summary", parameters=[ID], request=HoldInput,
                   responses={200: ContactDayDetailSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def hold(self, request, pk=None):
        day = self.get_object()
        data = _input(request, HoldInput)
        services.contact_day_hold(actor=request.user, contact_day=day, summary=data["summary"])
        return self._detail(day.pk)


# ---------------------------------------------------------------- household visits

WITHIN = OpenApiParameter("within", OpenApiTypes.STR, description="division code; defaults to your own area")
PERIOD = OpenApiParameter("period", OpenApiTypes.STR, enum=list(selectors.PERIODS), description="default month")
ON = OpenApiParameter("on", OpenApiTypes.DATE, description="the day asked about; default today")
COVERAGE_LEVEL = OpenApiParameter("level", OpenApiTypes.STR, enum=list(selectors.COVERAGE_LEVELS),
                                  description="one level only; default every level below `within`")


@extend_schema_view(
    list=extend_schema(summary="Household visits you may see", responses={200: VisitSerializer,
                                                                            **error_responses(400, 401)}),
    retrieve=extend_schema(summary="One household visit, with the matters raised there", parameters=[ID],
                           responses={200: VisitDetailSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Record a visit to a household", request=VisitInput,
                         responses={201: VisitDetailSerializer, **WRITE_ERRORS}),
)
class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    serializer_class = VisitSerializer
    filterset_class = filtersets.VisitFilterSet
    lookup_value_regex = r"[0-9]+"
    queryset = Visit.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return selectors.visit_list_visible_to(self.request.user).annotate(matter_count=Count("matters"))

    def get_object(self):
        return selectors.visit_get_for_user(self.request.user, self.kwargs["pk"])

    def _detail(self, pk, code=status.HTTP_200_OK):
        visit = self.get_queryset().filter(pk=pk).first()
        if visit is None:
            raise NotFound("visit not found")
        body = VisitSerializer(visit).data
        body["matters"] = MatterBriefSerializer(selectors.visit_matters(self.request.user, visit).select_related("grid"),
                                                many=True).data
        return Response(body, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        data = _input(request, VisitInput)
        household = selectors.household_for_visit(request.user, data.pop("household"))
        visit = services.visit_record(actor=request.user, household=household,
                                    visited_on=data.pop("visited_on", None) or clock.today(), **data)
        return self._detail(visit.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="Raise a matter the household brought up at this visit", parameters=[ID],
                   request=MatterInput, responses={201: MatterBriefSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def matters(self, request, pk=None):
        visit = self.get_object()
        data = _input(request, MatterInput)
        matter = services.visit_matter_raise(actor=request.user, visit=visit, category=_category(data.pop("category")),
                                           **data)
        return Response(MatterBriefSerializer(matter).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Households visited this month or quarter against active households, per township, "
                           "village and grid", parameters=[WITHIN, PERIOD, ON, COVERAGE_LEVEL],
                   responses={200: CoverageSerializer, **error_responses(400, 401, 404)})
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def coverage(self, request):
        params = request.query_params
        period = params.get("period") or "month"
        try:
            on = dt.date.fromisoformat(params["on"]) if params.get("on") else clock.today()
        except ValueError:
            raise ValidationFailed(_("Give the date as YYYY-MM-DD."), details={"on": [_("Invalid date.")]}) from None
        win = selectors.window(period, on)
        within = selectors.coverage_within(request.user, params.get("within"))
        levels = selectors.coverage_levels(within)
        if params.get("level"):
            if params["level"] not in levels:
                raise ValidationFailed(_("Choose a level below %(name)s.") % {"name": within.name},
                                       details={"level": [params["level"]]})
            levels = [params["level"]]

        def row(r):
            return {"code": r["code"], "name": r["name"], "households": r["households"],
                    "visited": r[f"visited_{period}"], "share": r[f"share_{period}"]}

        total = selectors.visit_coverage_total(request.user, within=within, on=on)
        body = {"within": PlaceSerializer(within).data, "period": period, "start": win.start, "end": win.end,
                "total": row(total),
                "levels": [{"level": level,
                            "rows": [row(r) for r in selectors.visit_coverage(request.user, within=within, level=level,
                                                                           on=on)]}
                           for level in levels]}
        return Response(body)
