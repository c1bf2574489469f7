"""The inbox page: one's own notifications only (another's reads as 404), unread first and bold, open one
(marked read, then its page), mark one or all read; the unread count in the header of every page."""
import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.urls import reverse

from shuanglian.matters import services as matter_services
from shuanglian.notifications.models import Notification
from shuanglian.notifications.services import notify

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
INBOX = reverse("notifications:inbox")


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(dt.datetime(2010, 3, 1, 9, 0, tzinfo=SH), tick=False)
    return time_machine


@pytest.fixture
def as_(client):
    def login(user, language="en"):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return login


@pytest.fixture
def inbox(personas, district, now):
    """Three notifications for the promoter (the oldest read), one for the village cadre."""
    notify(recipients=[personas.promoter], kind="test", title="较早的通知", url="/matters/")
    Notification.objects.filter(title="较早的通知").update(read_at=dt.datetime(2010, 3, 1, 9, 0, tzinfo=SH))
    now.move_to(dt.datetime(2010, 3, 1, 10, 0, tzinfo=SH), tick=False)
    matter = matter_services.matter_report(actor=personas.village_cadre, grid=district.grid, type="demand",
                                           source="visit", title="路灯不亮")
    now.move_to(dt.datetime(2010, 3, 1, 11, 0, tzinfo=SH), tick=False)
    notify(recipients=[personas.promoter, personas.village_cadre], kind="test", title="外链", url="https://evil.example/")
    return matter


def test_anonymous_is_sent_to_login(client, inbox):
    note = Notification.objects.first()
    for response in (client.get(INBOX), client.get(reverse("notifications:open", args=[note.pk])),
                     client.post(reverse("notifications:mark_all_read"))):
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert Notification.objects.filter(read_at__isnull=True).count() == 3


def test_the_inbox_lists_ones_own_unread_first(as_, personas, inbox):
    response = as_(personas.promoter).get(INBOX)
    rows = list(response.context["page_obj"])
    assert response.status_code == 200
    assert [n.title for n in rows] == ["外链", f"New matter {inbox.number}: 路灯不亮", "较早的通知"]
    body = response.content.decode()
    assert body.count('class="unread"') == 2 and body.count('class="read"') == 1
    assert 'class="badge"' in body and ">2</span>" in body
    assert [n.title for n in as_(personas.promoter).get(INBOX, {"unread": "1"}).context["page_obj"]] == [
        "外链", f"New matter {inbox.number}: 路灯不亮"]
    # Nobody has grants, and still an inbox: empty.
    response = as_(personas.nobody).get(INBOX)
    assert response.status_code == 200 and list(response.context["page_obj"]) == []


def test_opening_one_marks_it_read_and_goes_to_the_matter(as_, personas, inbox):
    client = as_(personas.promoter)
    note = Notification.objects.get(recipient=personas.promoter, title__startswith="New matter")
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == f"/matters/{inbox.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    # A link off the site is not followed.
    other = Notification.objects.get(recipient=personas.promoter, title="外链")
    assert client.get(reverse("notifications:open", args=[other.pk]))["Location"] == INBOX


def test_marking_read_one_and_all(as_, personas, inbox):
    client = as_(personas.promoter)
    note = Notification.objects.get(recipient=personas.promoter, title="外链")
    response = client.post(reverse("notifications:mark_read", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == INBOX
    assert Notification.objects.filter(recipient=personas.promoter, read_at__isnull=True).count() == 1
    # With htmx the inbox reloads into the main panel.
    response = client.post(reverse("notifications:mark_all_read"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "HX-Location" in response
    assert not Notification.objects.filter(recipient=personas.promoter, read_at__isnull=True).exists()
    body = client.get(INBOX).content.decode()
    assert "1 notification marked read." in body and 'class="badge"' not in body
    # The village cadre's are untouched.
    assert Notification.objects.filter(recipient=personas.village_cadre, read_at__isnull=True).count() == 1


def test_another_users_notification_reads_as_404(as_, personas, inbox):
    theirs = Notification.objects.get(recipient=personas.village_cadre)
    client = as_(personas.promoter)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_header_counts_unread_with_one_query(as_, personas, inbox, django_assert_num_queries):
    client = as_(personas.promoter)
    body = client.get(reverse("divisions:browse"), follow=True).content.decode()
    assert 'id="inbox-link"' in body and ">2</span>" in body
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(INBOX)
    assert sum("notifications_notification" in q["sql"] and "COUNT" in q["sql"] for q in queries) == 2  # page + badge
    # An htmx fragment carries no header, and the inbox's own fragment updates the badge out of band.
    fragment = client.get(INBOX, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main").content.decode()
    assert 'hx-swap-oob="true"' in fragment and "<header" not in fragment
