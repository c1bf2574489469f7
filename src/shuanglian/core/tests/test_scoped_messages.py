"""The one scoped fetch answers in the user's language: its 404 and its 400 naming the field are translated,
the noun too (the callers pass the models' verbose names)."""
import pytest
from django.utils import translation

from shuanglian.core.exceptions import NotFound, ValidationFailed
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.models import Division


@pytest.mark.django_db
def test_out_of_scope_reads_as_missing_in_chinese():
    with translation.override("zh-hans"):
        with pytest.raises(NotFound) as missing:
            get_visible(Division.objects.none(), 7, what="division")
        with pytest.raises(ValidationFailed) as named:
            get_visible(Division.objects.none(), 7, what="division", field="division")
    assert missing.value.message == "未找到区划"
    assert named.value.message == "没有您可查看的区划：7。" and named.value.details == {"division": [7]}
    with pytest.raises(NotFound, match="division not found"):
        get_visible(Division.objects.none(), 7, what="division")
