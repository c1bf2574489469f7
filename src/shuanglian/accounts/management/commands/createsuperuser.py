"""Django's createsuperuser, plus the audit event every account change gets, and the reminder that a
superuser is an administrator only (access.roles.ADMINISTRATION)."""
from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands.createsuperuser import Command as DjangoCommand

from shuanglian.accounts import passwords
from shuanglian.core import audit, clock
from shuanglian.core.context import action_context, new_request_id

ADMIN_ONLY = ("{name} is an administrator only: it manages accounts and grants roles, but does not read the "
              "audit trail, see or reveal personal information, or report and handle matters. Those duties need "
              "separate accounts with an auditor's or an operator's role.")


class Command(DjangoCommand):
    help = "Create a superuser: an administrator only (accounts and roles), not an auditor or an operator."

    def handle(self, *args, **options):
        User = get_user_model()
        before = set(User.objects.filter(is_superuser=True).values_list("pk", flat=True))
        super().handle(*args, **options)
        with action_context(request_id=new_request_id("cmd-"), channel="command"):
            for user in User.objects.filter(is_superuser=True).exclude(pk__in=before):
                # The operator chose this password: it is not temporary, but it ages like any other.
                User.objects.filter(pk=user.pk).update(password_changed_at=clock.now())
                if user.has_usable_password():
                    passwords.remember(user)
                audit.record(actor=None, action="user.create_superuser", obj=user,
                             after={"username": user.username, "is_superuser": True})
                self.stdout.write(ADMIN_ONLY.format(name=user.username))
