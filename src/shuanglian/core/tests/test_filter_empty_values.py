"""A list's filter form sends the boxes left at "any" as empty values; every filter set takes them as no
filter (the matters list found nothing: its multiple-choice filters refused "")."""
import pytest
from django.http import QueryDict

from shuanglian.core.filtersets import FilterSet


def _all_filter_sets():
    found, todo = [], list(FilterSet.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_filter_set_takes_its_empty_values_as_no_filter(db):
    import shuanglian.config.urls  # noqa: F401  (imports every app's views, so every filter set is defined)

    sets = _all_filter_sets()
    assert len(sets) >= 10
    for cls in sets:
        names = list(cls.base_filters)
        data = QueryDict(mutable=True)
        for name in names:
            data[name] = ""
        if cls._meta.model is None:  # an abstract base (its subclasses are checked)
            continue
        fs = cls(data, queryset=cls._meta.model.objects.none(), request=None)
        assert fs.is_valid(), (cls.__name__, fs.errors)


@pytest.mark.parametrize("query", ["q=路灯", "q=路灯&status=&type=&level=&deadline_state=&within="])
def test_the_matters_list_finds_the_same_with_its_boxes_left_at_any(client, personas, district, query):
    from shuanglian.matters import services

    services.matter_report(actor=personas.promoter, grid=district.grid, type="demand", source="visit",
                           title="村口路灯不亮")
    client.force_login(personas.promoter)
    page = client.get(f"/matters/?{query}").content.decode()
    assert "村口路灯不亮" in page
