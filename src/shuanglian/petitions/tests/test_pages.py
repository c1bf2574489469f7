"""The petition pages: the intake form registers through the service, an accuser stays confidential on the
register and the petition's page, and the office's actions move the petition."""
# ruff: noqa: F811  (pytest fixtures imported from fixtures, local to this module)
from django.urls import reverse

from shuanglian.petitions.models import Petition

from .fixtures import REPLY, TODAY, accepted, clock, officer, register  # noqa: F401

ACCUSER = "钱多多"
SECRET = "举报村主任挪用补偿款"


def test_the_intake_form_registers_a_group_visit(clock, district, officer, client):
    client.force_login(officer)
    answer = client.post(reverse("petitions:intake"), {
        "division": district.village.pk, "channel": "visit", "category": "complaint", "lodged_at": "county",
        "received_on": TODAY.isoformat(), "summary": "要求解决拖欠工资", "petitioner_name": "郑九",
        "person_times": 12, "representatives": "郑九\n郑十"})
    petition = Petition.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("petitions:detail", args=[petition.pk])
    assert petition.person_times == 12 and petition.representatives.count() == 2
    page = client.get(answer["Location"]).content.decode()
    assert "郑九" in page and "郑十" in page and petition.number in page


def test_too_many_representatives_is_said_on_the_form(clock, district, officer, client):
    client.force_login(officer)
    answer = client.post(reverse("petitions:intake"), {
        "division": district.village.pk, "channel": "visit", "category": "complaint", "lodged_at": "county",
        "received_on": TODAY.isoformat(), "summary": "集体上访", "petitioner_name": "甲", "person_times": 40,
        "representatives": "甲\n乙\n丙\n丁\n戊\n己"}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 422 and "Art. 20" in answer.content.decode()
    assert not Petition.objects.exists()


def test_an_accuser_is_confidential_on_the_pages(clock, district, personas, officer, client):
    petition = register(officer, district.village, category="accusation", petitioner_name=ACCUSER, content=SECRET)
    client.force_login(personas.township_cadre)
    for url in (reverse("petitions:list"), reverse("petitions:detail", args=[petition.pk])):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert petition.number in page and ACCUSER not in page and SECRET not in page and "confidential" in page
    client.force_login(officer)
    page = client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert ACCUSER in page and SECRET in page


def test_the_reply_is_issued_from_the_page(clock, district, officer, client):
    petition = accepted(officer, register(officer, district.village))
    client.force_login(officer)
    answer = client.post(reverse("petitions:detail", args=[petition.pk]), {
        "action": "reply", "outcome": "support", "request_text": REPLY["request"], "facts": REPLY["facts"],
        "reasons": REPLY["reasons"], "basis": REPLY["basis"]})
    assert answer.status_code == 302
    petition.refresh_from_db()
    assert petition.status == "replied" and petition.reply_basis == REPLY["basis"]
