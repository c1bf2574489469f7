"""The pages as a cadre on a phone uses them: the live quorum text, a meeting recorded from the form, a matter's
steps as a timeline with the next step's form, and the public board showing items without personal information."""
# ruff: noqa: F811  (pytest fixtures imported from helpers)
from django.urls import reverse

from shuanglian.village_affairs import services
from shuanglian.village_affairs.models import Meeting

from .helpers import TODAY, clock, meeting, to_filed  # noqa: F401


def test_the_quorum_text_follows_what_is_typed(client, personas, clock):
    client.force_login(personas.village_cadre)
    url = reverse("village_affairs:meeting-quorum")
    r = client.get(url, {"kind": "representatives", "present": "32", "eligible": "45"})
    # The UI is Chinese: "32 of 45 present: quorum needs 30 — reached".
    assert "应到45人，实到32人：法定人数30人——已达到" in r.content.decode()
    r = client.get(url, {"kind": "villagers", "present": "50", "eligible": "100"})
    assert "应到100人，实到50人：法定人数51人——未达到" in r.content.decode()


def test_a_meeting_recorded_from_the_form(client, personas, district, clock):
    client.force_login(personas.village_cadre)
    r = client.post(reverse("village_affairs:meeting-new"), {
        "village": district.village.pk, "kind": "representatives", "title": "代表会议", "held_on": TODAY.isoformat(),
        "eligible": "45", "present": "29", "motion": "同意", "votes_for": "29"})
    assert r.status_code == 302
    m = Meeting.objects.get()
    page = client.get(r["Location"]).content.decode()
    assert "应到45人，实到29人：法定人数30人——未达到" in page
    assert "未达到法定人数：会议所作决定无效。" in page and m.motions.get().passed is False


def test_the_matter_page_shows_the_steps_and_the_township_reviews_there(client, personas, district, clock):
    d = to_filed(personas, district.village)
    client.force_login(personas.township_cadre)
    url = reverse("village_affairs:decision-detail", args=[d.pk])
    page = client.get(url).content.decode()
    assert "动议" in page and "等待乡镇（街道）审核" in page and "同意" in page
    r = client.post(url, {"action": "approve"})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == "filing"
    client.force_login(personas.village_cadre)
    r = client.post(url, {"action": "notice", "text": "公告"})
    assert r.status_code == 422 and "应先完成 民决 (vote)：步骤不得跳过。" in r.content.decode()


def test_public_board_lists_items_without_login_and_without_attendance(client, personas, district, clock):
    meeting(personas.village_cadre, district.village, attendees="张三、李四")
    services.disclosure_post(actor=personas.village_cadre, village=district.village, kind="finance",
                             title="五月财务收支", posted_on=TODAY, place="村务公开栏", text="收入12万元")
    page = client.get(reverse("village_affairs:public-board", args=[district.village.code])).content.decode()
    assert "五月财务收支" in page and "收入12万元" in page
    assert "张三" not in page
    assert client.get(reverse("village_affairs:public-board", args=["330803001"])).status_code == 404  # a township
