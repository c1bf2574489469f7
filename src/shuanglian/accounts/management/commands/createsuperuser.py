"""Django's createsuperuser, plus the audit event every account change gets."""
from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands.createsuperuser import Command as DjangoCommand

from shuanglian.core import audit
from shuanglian.core.context import action_context, new_request_id


class Command(DjangoCommand):
    def handle(self, *args, **options):
        User = get_user_model()
        before = set(User.objects.filter(is_superuser=True).values_list("pk", flat=True))
        super().handle(*args, **options)
        with action_context(request_id=new_request_id("cmd-"), channel="command"):
            for user in User.objects.filter(is_superuser=True).exclude(pk__in=before):
                audit.record(actor=None, action="user.create_superuser", obj=user,
                             after={"username": user.username, "is_superuser": True})
