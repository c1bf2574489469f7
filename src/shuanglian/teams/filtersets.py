"""One FilterSet per model (team memberships, lecturers, training sessions, kit items), shared by the API and pages."""
import django_filters as filters
from django.utils.translation import gettext_lazy as _

from shuanglian.core.filtersets import FilterSet
from shuanglian.divisions.filtersets import WithinFilter

from .choices import Category, KitItem, TeamRole
from .models import KitIssue, Lecturer, Membership, TrainingSession


class WithinFilterSet(FilterSet):
    """`within`: the subtree of a division, by the scope column of its level (DivisionScoped records)."""

    within = WithinFilter(label=_("division code (subtree)"))


class MembershipFilterSet(WithinFilterSet):
    grid = filters.CharFilter(field_name="grid__code", label=_("grid code"))
    role = filters.ChoiceFilter(choices=TeamRole.choices, label=_("role"))
    category = filters.ChoiceFilter(field_name="member__category", choices=Category.choices, label=_("category"))
    current = filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label=_("current posts only"))
    name = filters.CharFilter(field_name="member__name", lookup_expr="startswith", label=_("name (starts with)"))

    class Meta:
        model = Membership
        fields = ["role"]


class LecturerFilterSet(FilterSet):
    department = filters.NumberFilter(field_name="department_id", label=_("department id"))
    active = filters.BooleanFilter(field_name="is_active", label=_("active only"))
    topic = filters.CharFilter(field_name="topics", lookup_expr="icontains", label=_("topic (contains)"))

    class Meta:
        model = Lecturer
        fields = ["department"]


class TrainingSessionFilterSet(WithinFilterSet):
    township = filters.CharFilter(field_name="township__code", label=_("township code"))
    year = filters.NumberFilter(field_name="held_on", lookup_expr="year", label=_("year"))
    since = filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("held on or after"))
    until = filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("held on or before"))
    trainer = filters.NumberFilter(field_name="trainers", label=_("lecturer id"))

    class Meta:
        model = TrainingSession
        fields = ["township"]


class KitIssueFilterSet(WithinFilterSet):
    grid = filters.CharFilter(field_name="grid__code", label=_("grid code"))
    member = filters.NumberFilter(field_name="member_id", label=_("member id"))
    item = filters.ChoiceFilter(choices=KitItem.choices, label=_("item"))
    outstanding = filters.BooleanFilter(field_name="returned_on", lookup_expr="isnull",
                                        label=_("held now (not returned)"))

    class Meta:
        model = KitIssue
        fields = ["item"]
