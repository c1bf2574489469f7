import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shuanglian.core import audit
from shuanglian.core.context import action_context, new_request_id
from shuanglian.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Audit trail: `verify` checks the hash chain; `prune --before DATE` deletes old events."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check every event's hash and link; exit 1 at the first broken link")
        prune = sub.add_parser("prune", help="delete events before DATE (never younger than the retention floor)")
        prune.add_argument("--before", required=True, help="YYYY-MM-DD")

    def handle(self, *args, action, **options):
        if action == "verify":
            result = audit.verify()
            if not result.ok:
                self.stderr.write(f"audit chain BROKEN: {result.problem} ({result.checked} events verified before it)")
                sys.exit(1)
            self.stdout.write(f"audit chain intact: {result.checked} events verified")
            return
        try:
            day = dt.date.fromisoformat(options["before"])
        except ValueError as exc:
            raise CommandError(f"--before: {exc}") from exc
        before = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        with action_context(request_id=new_request_id("cmd-"), channel="command"):
            try:
                count = audit.prune(actor=None, before=before)
            except DomainError as exc:
                raise CommandError(exc.message) from exc
        self.stdout.write(f"pruned {count} events before {day}")
