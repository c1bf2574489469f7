"""One path for domain errors on pages: a DomainError escaping a page view becomes the 404 page (out of
scope), the 403 page, or its message with the error's status; the API keeps its own error shape. And
core.scoped.get_visible, the one fetch-and-check."""
import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import include, path

from shuanglian.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from shuanglian.core.middleware import DomainErrorMiddleware
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.models import Division


def _raises(exc):
    def view(request):
        raise exc
    return view


urlpatterns = [
    path("page/missing/", _raises(NotFound("no such thing"))),
    path("page/refused/", _raises(PermissionDenied("not yours"))),
    path("page/conflict/", _raises(Conflict("someone moved it first"))),
    path("page/invalid/", _raises(ValidationFailed("give a reason"))),
    path("page/fine/", lambda request: HttpResponse("fine")),
    path("", include(settings.ROOT_URLCONF)),  # the error pages link home; by name, no import of config
]


@pytest.fixture
def pages(settings):
    settings.ROOT_URLCONF = __name__


@pytest.mark.django_db
def test_a_domain_error_escaping_a_page_becomes_its_page(client, pages):
    assert client.get("/page/fine/").status_code == 200
    assert client.get("/page/missing/").status_code == 404
    assert client.get("/page/refused/").status_code == 403
    response = client.get("/page/conflict/")
    assert response.status_code == 409 and "someone moved it first" in response.content.decode()
    response = client.get("/page/invalid/", HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and response["HX-Retarget"] == "#flash"
    assert "give a reason" in response.content.decode() and "<html" not in response.content.decode()


@pytest.mark.django_db
def test_get_visible_reads_out_of_scope_as_missing(district):
    visible = Division.objects.filter(pk=district.grid.pk)
    assert get_visible(visible, district.grid.pk, what="division") == district.grid
    with pytest.raises(NotFound):
        get_visible(visible, district.grid2.pk, what="division")
    with pytest.raises(NotFound):
        get_visible(visible, "x", what="division")
    with pytest.raises(ValidationFailed) as e:
        get_visible(visible, district.grid2.pk, what="division", field="grid")
    assert e.value.details == {"grid": [district.grid2.pk]}


def test_the_api_is_left_to_its_own_handler(rf):
    middleware = DomainErrorMiddleware(lambda request: HttpResponse())
    assert middleware.process_exception(rf.get("/api/v1/matters/"), Conflict("x")) is None
    assert middleware.process_exception(rf.get("/matters/"), ValueError("not ours")) is None
