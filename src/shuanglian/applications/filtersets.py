"""One FilterSet per model, shared by the API and (later) the pages."""
import django_filters as filters
from django.db.models import Q

from shuanglian.core.filtersets import FilterSet
from shuanglian.divisions.filtersets import WithinFilter

from .choices import AcceptedAt, PointKind, Status
from .models import Application, ServiceItem, ServicePoint


class ServicePointFilterSet(FilterSet):
    kind = filters.ChoiceFilter(choices=PointKind.choices)
    within = WithinFilter()

    class Meta:
        model = ServicePoint
        fields = ["kind"]


class ServiceItemFilterSet(FilterSet):
    q = filters.CharFilter(method="filter_q", label="name, code or department contains")
    department = filters.NumberFilter(field_name="department_id")
    accepted_at = filters.ChoiceFilter(choices=AcceptedAt.choices)
    point = filters.NumberFilter(method="filter_point", label="the items this service point accepts")

    class Meta:
        model = ServiceItem
        fields = ["department", "accepted_at"]

    def filter_point(self, queryset, name, value):
        point = ServicePoint.objects.filter(pk=value, is_active=True).only("kind").first()
        if point is None:
            return queryset.none()
        return queryset if point.kind == PointKind.CENTER else queryset.filter(accepted_at=AcceptedAt.ANY)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value) | Q(department__name__icontains=value))


class ApplicationFilterSet(FilterSet):
    status = filters.MultipleChoiceFilter(choices=Status.choices)
    point = filters.NumberFilter(field_name="point_id")
    center = filters.NumberFilter(field_name="center_id")
    item = filters.NumberFilter(field_name="item_id")
    department = filters.NumberFilter(field_name="department_id")
    receipt_no = filters.CharFilter()
    within = WithinFilter()
    accepted_after = filters.IsoDateTimeFilter(field_name="accepted_at", lookup_expr="gte")
    accepted_before = filters.IsoDateTimeFilter(field_name="accepted_at", lookup_expr="lt")
    deadline = filters.ChoiceFilter(method="filter_deadline", choices=[
        ("overdue", "overdue"), ("near_due", "due within 2 working days"), ("fine", "fine")],
        label="running applications by their promised date (the supervision board's rule)")
    q = filters.CharFilter(method="filter_q", label="receipt number contains")
    at_point = filters.NumberFilter(method="filter_at_point",
                                    label="accepted at this point or handled by it (its queue)")

    class Meta:
        model = Application
        fields = ["status", "point", "item", "department", "receipt_no"]

    def filter_deadline(self, queryset, name, value):
        from shuanglian.core import clock

        from .selectors import deadline_q, near_due_until

        today = clock.today()
        return queryset.filter(deadline_q(value, today=today, near=near_due_until(today)))

    def filter_q(self, queryset, name, value):
        return queryset.filter(receipt_no__icontains=value.strip())

    def filter_at_point(self, queryset, name, value):
        return queryset.filter(Q(point_id=value) | Q(center_id=value))
