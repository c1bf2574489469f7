"""One FilterSet each for households and persons, shared by the API and the pages."""
import django_filters as filters
from django.db.models import Q

from shuanglian.core import idnumber
from shuanglian.core.filtersets import FilterSet
from shuanglian.core.pii import PIIField, normalize
from shuanglian.divisions.filtersets import WithinFilter

from .choices import RelationToHead, ResidenceStatus, Sex
from .models import Household, HouseholdTag, Person, Tag
from .selectors import birth_range_for_ages, pii_scope


def _pii_only(request, queryset):
    """A filter on something the viewer may not see narrows to the records whose PII they may see.

    Otherwise a search is an oracle: a grid volunteer, shown names only, could confirm an ID number, a
    phone, an age or a low-income tag by filtering on it. No request means no viewer: nothing matches,
    so pages must build the FilterSet with `request=request`.
    """
    return queryset.filter(pii_scope(getattr(request, "user", None)).record_q())


class HouseholdFilterSet(FilterSet):
    q = filters.CharFilter(method="filter_q", label="number or address contains")
    number = filters.CharFilter()
    address = filters.CharFilter(lookup_expr="contains")
    tag = filters.ModelMultipleChoiceFilter(field_name="tag", to_field_name="code", method="filter_tag",
                                            queryset=Tag.objects.filter(is_active=True), label="tag code (any of)")
    within = WithinFilter()
    completeness_below = filters.NumberFilter(field_name="completeness", lookup_expr="lt")

    class Meta:
        model = Household
        fields = ["number"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(number=value.strip()) | Q(address__contains=value.strip()))

    def filter_tag(self, queryset, name, value: list[Tag]):
        if not value:  # no tag asked for arrives as an empty queryset, which the method filter passes on
            return queryset
        # A subquery, not a join: a join repeats a household per matching tag and inflates member_count.
        queryset = queryset.filter(pk__in=HouseholdTag.objects.filter(tag_index__in=[t.index for t in value])
                                   .values("household_id"))
        return _pii_only(self.request, queryset) if any(t.sensitive for t in value) else queryset


class PersonFilterSet(FilterSet):
    name = filters.CharFilter(method="filter_name", label="name (starts with)")
    id_number = filters.CharFilter(method="filter_id_number", label="ID number (exact)")
    phone = filters.CharFilter(method="filter_phone", label="phone (exact)")
    address = filters.CharFilter(field_name="household__address", lookup_expr="contains")
    tag = filters.CharFilter(method="filter_tag", label="household tag code")
    within = WithinFilter()
    min_age = filters.NumberFilter(method="filter_age", label="age at least", min_value=0, max_value=150)
    max_age = filters.NumberFilter(method="filter_age", label="age at most", min_value=0, max_value=150)
    sex = filters.ChoiceFilter(choices=Sex.choices, method="filter_private")
    relation_to_head = filters.ChoiceFilter(choices=RelationToHead.choices)
    residence_status = filters.ChoiceFilter(choices=ResidenceStatus.choices, method="filter_private")
    household = filters.NumberFilter(field_name="household_id")

    class Meta:
        model = Person
        fields = ["sex", "relation_to_head", "residence_status"]

    def filter_name(self, queryset, name, value):
        # Prefix, so the (township, name) index serves it; names are short and searched from the start.
        return queryset.filter(name__startswith=value.strip())

    def filter_id_number(self, queryset, name, value):
        value = idnumber.normalize(value)
        return _pii_only(self.request, queryset.filter(PIIField.search_q("id_number", "id_number", value)))

    def filter_phone(self, queryset, name, value):
        value = normalize("phone", value)
        return _pii_only(self.request, queryset.filter(PIIField.search_q("phone", "phone", value)))

    def filter_tag(self, queryset, name, value):
        tag = Tag.objects.filter(code=value.strip()).first()
        if tag is None:
            return queryset.none()
        queryset = queryset.filter(household__householdtag__tag_index=tag.index)
        return _pii_only(self.request, queryset) if tag.sensitive else queryset

    def filter_private(self, queryset, name, value):
        return _pii_only(self.request, queryset.filter(**{name: value}))

    def filter_age(self, queryset, name, value):
        if value is None:
            return queryset
        earliest, latest = birth_range_for_ages(int(value) if name == "min_age" else None,
                                                int(value) if name == "max_age" else None)
        if latest:
            queryset = queryset.filter(birth_date__lte=latest)
        if earliest:
            queryset = queryset.filter(birth_date__gte=earliest)
        return _pii_only(self.request, queryset)
