"""One FilterSet each for households and persons, shared by the API and the pages."""
import django_filters as filters
from django.db.models import Q

from shuanglian.core import idnumber
from shuanglian.core.pii import PIIField, normalize
from shuanglian.divisions.choices import Level, code_key, code_key_upper
from shuanglian.divisions.models import Division

from .choices import RelationToHead, ResidenceStatus, Sex
from .models import Household, Person, Tag
from .selectors import birth_range_for_ages


def _within(queryset, value):
    """Subtree by division code: an equality on the scope column of that level (indexed), not a join."""
    division = Division.objects.current().filter(code=value.strip()).first() if value.strip().isdigit() else None
    if division is None:
        return queryset.none()
    if division.level in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID):
        return queryset.filter(**{f"{division.level}_id": division.pk})
    return queryset.filter(county__code_key__gte=code_key(division.code),
                           county__code_key__lte=code_key_upper(division.code))


class HouseholdFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label="number or address contains")
    number = filters.CharFilter()
    address = filters.CharFilter(lookup_expr="contains")
    tag = filters.ModelMultipleChoiceFilter(field_name="tags__code", to_field_name="code",
                                            queryset=Tag.objects.filter(is_active=True))
    within = filters.CharFilter(method="filter_within", label="division code (subtree)")
    completeness_below = filters.NumberFilter(field_name="completeness", lookup_expr="lt")

    class Meta:
        model = Household
        fields = ["number"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(number=value.strip()) | Q(address__contains=value.strip()))

    def filter_within(self, queryset, name, value):
        return _within(queryset, value)


class PersonFilterSet(filters.FilterSet):
    name = filters.CharFilter(method="filter_name", label="name (starts with)")
    id_number = filters.CharFilter(method="filter_id_number", label="ID number (exact)")
    phone = filters.CharFilter(method="filter_phone", label="phone (exact)")
    address = filters.CharFilter(field_name="household__address", lookup_expr="contains")
    tag = filters.CharFilter(method="filter_tag", label="household tag code")
    within = filters.CharFilter(method="filter_within", label="division code (subtree)")
    min_age = filters.NumberFilter(method="filter_age", label="age at least")
    max_age = filters.NumberFilter(method="filter_age", label="age at most")
    sex = filters.ChoiceFilter(choices=Sex.choices)
    relation_to_head = filters.ChoiceFilter(choices=RelationToHead.choices)
    residence_status = filters.ChoiceFilter(choices=ResidenceStatus.choices)
    household = filters.NumberFilter(field_name="household_id")

    class Meta:
        model = Person
        fields = ["sex", "relation_to_head", "residence_status"]

    def filter_name(self, queryset, name, value):
        # Prefix, so the (township, name) index serves it; names are short and searched from the start.
        return queryset.filter(name__startswith=value.strip())

    def filter_id_number(self, queryset, name, value):
        value = idnumber.normalize(value)
        return queryset.filter(PIIField.search_q("id_number", "id_number", value))

    def filter_phone(self, queryset, name, value):
        return queryset.filter(PIIField.search_q("phone", "phone", normalize("phone", value)))

    def filter_tag(self, queryset, name, value):
        return queryset.filter(household__householdtag__tag__code=value)

    def filter_within(self, queryset, name, value):
        return _within(queryset, value)

    def filter_age(self, queryset, name, value):
        if value is None:
            return queryset
        earliest, latest = birth_range_for_ages(int(value) if name == "min_age" else None,
                                                int(value) if name == "max_age" else None)
        if latest:
            queryset = queryset.filter(birth_date__lte=latest)
        if earliest:
            queryset = queryset.filter(birth_date__gte=earliest)
        return queryset
