"""Who may be named to handle an application: one rule (services.selectors.handler_choices) held by the service,
so the page's menu and the API cannot differ. Before it, the API took any active user as handler."""
import pytest

from shuanglian.applications import services
from shuanglian.core.exceptions import ValidationFailed

from .conftest import at

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _accepted(net, personas):
    return services.application_accept(actor=personas.service_staff, item=net.hukou, point=net.center,
                                       applicant_name="王大明", applicant_phone="13912345678", at=at(2026, 3, 2, 9))


def test_the_service_refuses_a_handler_off_the_list(net, personas):
    app = _accepted(net, personas)
    with pytest.raises(ValidationFailed) as e:
        services.transition(actor=personas.service_staff, application=app, action="handle",
                            handler=personas.outsider)
    assert e.value.details == {"handler": [personas.outsider.pk]}
    app.refresh_from_db()
    assert app.status == "accepted" and app.handler is None


def test_the_api_refuses_a_handler_the_page_would_not_offer(net, personas, api):
    app = _accepted(net, personas)
    url = f"/api/v1/applications/{app.pk}/actions/handle/"
    r = api.as_(personas.service_staff).post(url, {"handler": personas.outsider.pk}, format="json")
    assert r.status_code == 400, r.json()
    body = r.json()
    assert body["code"] == "invalid" and body["details"] == {"handler": [personas.outsider.pk]}
    assert "cannot handle this application" in body["message"]
    app.refresh_from_db()
    assert app.status == "accepted" and app.handler is None
    # A member of the item's department is on the list.
    r = api.as_(personas.service_staff).post(url, {"handler": personas.department_member.pk}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "handling"
    app.refresh_from_db()
    assert app.handler == personas.department_member


def test_the_page_refuses_a_handler_off_the_list(client, net, personas):
    app = _accepted(net, personas)
    url = f"/services/applications/{app.pk}/"
    client.force_login(personas.service_staff)
    r = client.post(url, {"action": "handle", "handle-department": personas.police.pk,
                          "handle-handler": personas.outsider.pk}, **EN)
    assert r.status_code == 422 and "Select a valid choice" in r.content.decode()
    app.refresh_from_db()
    assert app.status == "accepted" and app.handler is None


def test_a_department_closed_meanwhile_is_refused_by_the_page_and_the_api_alike(client, net, personas, api):
    """The page's menu was drawn while the department was active; it closes before the form comes back. The
    page and the API look the id up through one selector, so both refuse it naming the field."""
    from shuanglian.organizations.models import Organization

    app = _accepted(net, personas)
    department = personas.police
    client.force_login(personas.service_staff)
    page = client.get(f"/services/applications/{app.pk}/", **EN)
    assert f'value="{department.pk}"' in page.content.decode()
    Organization.objects.filter(pk=department.pk).update(is_active=False)

    r = client.post(f"/services/applications/{app.pk}/",
                    {"action": "handle", "handle-department": department.pk}, **EN)
    assert r.status_code == 422
    r = api.as_(personas.service_staff).post(f"/api/v1/applications/{app.pk}/actions/handle/",
                                             {"department": department.pk}, format="json")
    assert r.status_code == 400 and r.json()["details"] == {"department": [department.pk]}
    app.refresh_from_db()
    assert app.status == "accepted" and app.department_id is None
