"""The association pages, each three ways (no permission, permitted, out of scope), and the forms: appoint
(the 409 shown on the form), end a post, record a meeting; only for those who may manage."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.associations import services
from shuanglian.associations.models import AssociationPost, Meeting

from .conftest import D


@pytest.fixture
def president(associations):
    return services.post_appoint(actor=None, association=associations["village"], post="president", name="王会长",
                                 phone="13912345678", started_on=D)


def login(client, user, persona_password):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # assertions read the English source strings
    assert client.login(username=user.username, password=persona_password)
    return client


def test_list(client, district, personas, persona_password, associations, president):
    assert login(client, personas.nobody, persona_password).get("/associations/").status_code == 403
    html = login(client, personas.township_cadre, persona_password).get("/associations/").content.decode()
    assert "樟潭社区和谐平安促进会" in html and "王会长" in html and "上方村和谐平安促进会" not in html
    html = login(client, personas.county_office, persona_password).get(
        "/associations/", {"kind": "general"}).content.decode()
    assert "上方镇和谐平安促进总会" in html and "樟潭社区和谐平安促进会" not in html
    with CaptureQueriesContext(connection) as few:
        client.get("/associations/", {"kind": "general"})
    with CaptureQueriesContext(connection) as many:
        client.get("/associations/")
    assert len(many) == len(few)


def test_detail(client, district, personas, persona_password, associations, president):
    url = f"/associations/{associations['village'].pk}/"
    assert login(client, personas.nobody, persona_password).get(url).status_code == 403
    page = login(client, personas.promoter, persona_password).get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "王会长" in html and "139****5678" in html and "13912345678" not in html
    assert "Record a meeting" not in html  # a promoter reads only
    assert login(client, personas.outsider, persona_password).get(url).status_code == 404
    assert login(client, personas.village_cadre, persona_password).get(
        f"/associations/{associations['village2'].pk}/").status_code == 404
    html = login(client, personas.village_cadre, persona_password).get(url).content.decode()
    assert "Appoint to a post" in html and "Record a meeting" in html


def test_forms(client, district, personas, persona_password, associations, president):
    a = associations["village"]
    cadre = login(client, personas.village_cadre, persona_password)
    refused = cadre.post(f"/associations/{a.pk}/appoint/", {"post": "president", "name": "李四", "category": "other"})
    assert refused.status_code == 422 and "already has a president: 王会长" in refused.content.decode()
    done = cadre.post(f"/associations/{a.pk}/appoint/", {"post": "member", "name": "李四", "phone": "13700000000",
                                                         "category": "notable", "started_on": "2010-03-01"})
    assert done.status_code == 302
    member = AssociationPost.objects.get(association=a, member__name="李四")
    recorded = cadre.post(f"/associations/{a.pk}/meetings/new/", {
        "held_on": "2010-03-15", "topic": "一季度排查", "attendees": [str(member.member_id)],
        "decisions": "排查三户\n\n下月回访"})
    assert recorded.status_code == 302, recorded.content.decode()
    meeting = Meeting.objects.get(association=a)
    assert meeting.attendee_count == 1 and meeting.decisions == ["排查三户", "下月回访"]
    future = cadre.post(f"/associations/{a.pk}/meetings/new/", {"held_on": "2999-01-01", "topic": "t",
                                                                "attendee_count": "3"})
    assert future.status_code == 422 and "is in the future" in future.content.decode()
    ended = cadre.post(f"/associations/{a.pk}/posts/{president.pk}/end/", {"reason": "换届"})
    assert ended.status_code == 302
    again = cadre.post(f"/associations/{a.pk}/posts/{president.pk}/end/", {"reason": "换届"})
    assert again.status_code == 422 and "This post already ended on" in again.content.decode()
    assert cadre.post(f"/associations/{a.pk}/posts/999999/end/", {}).status_code == 404
    html = cadre.get(f"/associations/{a.pk}/").content.decode()
    assert "This association has no president." in html and "换届" in html and "一季度排查" in html
    general = associations["general"]
    assert cadre.post(f"/associations/{general.pk}/appoint/", {"post": "member", "name": "李", "category": "other"}
                      ).status_code == 422  # may see, may not manage: the refusal on the form
    assert not AssociationPost.objects.filter(association=general).exists()
    assert login(client, personas.outsider, persona_password).post(
        f"/associations/{a.pk}/appoint/", {"post": "member", "name": "李", "category": "other"}).status_code == 404


def test_the_organization_page_leads_to_the_association(client, district, personas, persona_password, associations):
    village = associations["village"]
    html = login(client, personas.township_cadre, persona_password).get(
        f"/organizations/{village.pk}/").content.decode()
    assert f'href="/associations/{village.pk}/"' in html
    page = client.get(f"/organizations/{personas.police.pk}/")  # a department: no such link
    assert page.status_code == 200 and 'href="/associations/' not in page.content.decode().split("<main", 1)[1]
