"""The audit log pages, the landing redirect, the language switch and the error pages."""
import pytest
from django.urls import reverse

from shuanglian.core.models import AuditEvent

AUDIT = reverse("audit:list")


@pytest.fixture
def as_(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_home_sends_anonymous_users_to_login_and_others_to_the_tree(client, as_, personas, district):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    response = as_(personas.county_office).get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("divisions:detail", kwargs={"code": district.county.code})


def test_audit_log_is_for_auditors(client, as_, personas):
    assert client.get(AUDIT).status_code == 302
    for persona in (personas.promoter, personas.admin, personas.county_office, personas.nobody):
        assert as_(persona).get(AUDIT).status_code == 403
        assert as_(persona).get(reverse("audit:detail", kwargs={"seq": 1})).status_code == 403


def test_auditor_reads_and_filters_the_log(as_, personas):
    client = as_(personas.auditor)
    response = client.get(AUDIT)
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.count == AuditEvent.objects.count()
    assert page.paginator.per_page == 50 and len(page) == min(50, page.paginator.count)  # paginated on the server
    response = client.get(AUDIT, {"action": "grant."})
    actions = {e.action for e in response.context["page_obj"]}
    assert actions == {"grant.create"}
    response = client.get(AUDIT, {"object_type": "accounts.user", "actor": "system"})
    assert all(e.object_type == "accounts.user" for e in response.context["page_obj"])
    response = client.get(AUDIT, {"page": 999})
    assert response.status_code == 200 and response.context["page_obj"].number == page.paginator.num_pages


def test_audit_event_detail_and_missing_event(as_, personas):
    client = as_(personas.auditor)
    event = AuditEvent.objects.filter(action="user.create").order_by("seq").first()
    response = client.get(reverse("audit:detail", kwargs={"seq": event.seq}))
    assert response.status_code == 200 and event.hash in response.content.decode()
    assert client.get(reverse("audit:detail", kwargs={"seq": 10**9})).status_code == 404


def test_audit_list_query_count_does_not_depend_on_page_size(as_, personas, django_assert_max_num_queries):
    client = as_(personas.auditor)
    client.get(AUDIT)
    with django_assert_max_num_queries(8):
        client.get(AUDIT)


def test_pages_render_in_chinese_by_default_and_english_when_chosen(as_, personas):
    client = as_(personas.auditor)
    body = client.get(AUDIT).content.decode()
    assert "审计日志" in body and "退出" in body
    response = client.post(reverse("set_language"), {"language": "en", "next": AUDIT})
    assert response.status_code == 302
    body = client.get(AUDIT).content.decode()
    assert "Audit log" in body and "Sign out" in body and "审计日志" not in body


def test_login_page_in_both_languages(client):
    assert "登录" in client.get(reverse("accounts:login")).content.decode()
    body = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign in" in body


def test_404_page_uses_the_layout(as_, personas):
    response = as_(personas.promoter).get("/divisions/999999/")
    assert response.status_code == 404
    assert '<header class="site-header">' in response.content.decode()
