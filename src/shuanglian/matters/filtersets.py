"""One FilterSet for matter lists, shared by the API and the pages."""
import django_filters as filters
from django.db.models import Q

from shuanglian.accounts.models import Grant
from shuanglian.core.filtersets import FilterSet
from shuanglian.divisions.filtersets import WithinFilter

from .choices import DeadlineState, Level, MatterType, Source, Status
from .models import Matter


class MatterFilterSet(FilterSet):
    status = filters.MultipleChoiceFilter(choices=Status.choices)
    open = filters.BooleanFilter(method="filter_open", label="open (not closed)")
    type = filters.MultipleChoiceFilter(choices=MatterType.choices)
    level = filters.MultipleChoiceFilter(choices=Level.choices)
    deadline_state = filters.MultipleChoiceFilter(choices=DeadlineState.choices)
    source = filters.ChoiceFilter(choices=Source.choices)
    category = filters.CharFilter(field_name="category__code")
    within = WithinFilter()
    q = filters.CharFilter(method="filter_q", label="number, or title contains")
    reported_after = filters.IsoDateTimeFilter(field_name="reported_at", lookup_expr="gte")
    reported_before = filters.IsoDateTimeFilter(field_name="reported_at", lookup_expr="lt")
    held_by_me = filters.BooleanFilter(method="filter_held_by_me", label="held by me or my organization")
    household = filters.NumberFilter(field_name="household_id")

    class Meta:
        model = Matter
        fields = ["status", "type", "level", "deadline_state", "source"]

    def filter_open(self, queryset, name, value):
        return queryset.exclude(status=Status.CLOSED) if value else queryset.filter(status=Status.CLOSED)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(number=value) | Q(title__contains=value))

    def filter_held_by_me(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None or not user.is_authenticated:
            return queryset
        orgs = Grant.objects.filter(user=user, revoked_at__isnull=True, organization__isnull=False).values(
            "organization_id")
        return queryset.filter(Q(holder_user=user) | Q(holder_organization_id__in=orgs))
