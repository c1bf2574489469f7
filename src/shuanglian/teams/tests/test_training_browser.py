"""Training and kits on a phone (360 px): a township cadre ticks who attended a session and saves; a village
cadre issues the rest of a member's kit and takes an item back; each page within the screen."""
import datetime as dt

import pytest

from shuanglian.teams import services
from shuanglian.teams.models import Attendance, KitIssue
from shuanglian.teams.services import kits, training

from .test_pages_browser import fits, signed_in

pytestmark = pytest.mark.browser
D = dt.date(2010, 3, 1)


def test_attendance_and_kit_on_a_phone(district, personas, persona_password, live_server, transactional_db,
                                       browser_page):
    posts = [services.membership_appoint(actor=None, grid=grid, role=role, name=name, phone=phone,
                                         category="doctor", started_on=D)
             for grid, role, name, phone in ((district.grid, "promoter", "王大明", "13912345678"),
                                             (district.grid, "volunteer", "李医生", "13900000001"),
                                             (district.grid3, "volunteer", "张乡贤", "13900000002"))]
    session = training.session_create(actor=None, township=district.township, topic="矛盾纠纷调处",
                                      held_on=dt.date(2010, 5, 10), place="樟潭街道便民服务中心会议室")
    page = signed_in(browser_page, live_server, personas.township_cadre, persona_password)
    page.goto(f"{live_server.url}/teams/training/{session.pk}/")
    boxes = page.locator("#attendance input[name=members]")
    assert boxes.count() == 3 and fits(page)
    page.check(f"#attendance input[value='{posts[0].member_id}']")
    page.check(f"#attendance input[value='{posts[2].member_id}']")
    page.click("#attendance button[type=submit]")
    page.wait_for_selector("#present-count:text-is('2')")
    assert set(Attendance.objects.filter(session=session).values_list("member_id", flat=True)) == {
        posts[0].member_id, posts[2].member_id}
    assert page.locator(f"#attendance input[value='{posts[0].member_id}']").is_checked() and fits(page)

    kits.kit_issue(actor=None, membership=posts[1], items=["pen"], issued_on=D)
    page.context.clear_cookies()  # sign out
    page = signed_in(browser_page, live_server, personas.village_cadre, persona_password)
    page.goto(f"{live_server.url}/teams/members/{posts[1].pk}/")
    assert fits(page)
    page.click("details.op > summary")
    assert page.locator("details.op input[name=items]").count() == 4  # the pen is held
    page.click("details.op button[type=submit]")
    page.wait_for_function("document.querySelectorAll('#kit form').length === 5")
    assert KitIssue.objects.filter(member=posts[1].member, returned_on__isnull=True).count() == 5
    page.locator("#kit form button").first.click()
    page.wait_for_function("document.querySelectorAll('#kit form').length === 4")
    assert KitIssue.objects.filter(member=posts[1].member, returned_on__isnull=False).count() == 1 and fits(page)
