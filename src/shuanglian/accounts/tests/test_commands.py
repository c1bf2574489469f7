from django.core.management import call_command

from shuanglian.core.models import AuditEvent


def test_createsuperuser_is_audited(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Root-pass-2010")
    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.cn", verbosity=0)
    event = AuditEvent.objects.get(action="user.create_superuser")
    assert event.after == {"username": "root", "is_superuser": True} and event.channel == "command"
