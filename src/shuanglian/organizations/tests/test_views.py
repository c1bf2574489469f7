"""Organization pages: no permission, permitted, out of scope."""
import pytest
from django.urls import reverse

LIST = reverse("organizations:list")


@pytest.fixture
def as_(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def detail_url(org) -> str:
    return reverse("organizations:detail", kwargs={"pk": org.pk})


def test_anonymous_and_roleless_users_are_refused(client, as_, personas):
    assert client.get(LIST).status_code == 302
    assert as_(personas.nobody).get(LIST).status_code == 403
    assert as_(personas.nobody).get(detail_url(personas.police)).status_code == 403


def test_township_cadre_sees_their_center_and_the_county_departments(as_, personas):
    client = as_(personas.township_cadre)
    response = client.get(LIST)
    names = [o.name for o in response.context["page_obj"]]
    assert response.status_code == 200 and set(names) == {"衢江区公安分局", "樟潭街道便民服务中心"}
    response = client.get(LIST, {"kind": "service_center"})
    assert [o.name for o in response.context["page_obj"]] == ["樟潭街道便民服务中心"]
    page = client.get(detail_url(personas.service_center))
    assert page.status_code == 200 and "樟潭街道" in page.content.decode()


def test_out_of_scope_organization_is_404(as_, personas):
    client = as_(personas.outsider)
    assert "樟潭街道便民服务中心" not in client.get(LIST).content.decode()
    assert client.get(detail_url(personas.service_center)).status_code == 404
