import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shuanglian.core import audit
from shuanglian.core.context import action_context, new_request_id
from shuanglian.core.exceptions import DomainError


class Command(BaseCommand):
    help = ("Audit trail: `verify` checks the keyed hash chain and the checkpoints; `checkpoint` appends a signed "
            "checkpoint of the head to AUDIT_CHECKPOINT_FILE; `prune --before DATE` deletes old events.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="check every event's hash and link and the chain against the signed "
                                "checkpoints; exit 1 at the first problem")
        verify.add_argument("--checkpoints", default=None,
                            help="checkpoint file to check against (default AUDIT_CHECKPOINT_FILE)")
        sub.add_parser("checkpoint", help="append a signed checkpoint of the chain head to AUDIT_CHECKPOINT_FILE")
        prune = sub.add_parser("prune", help="delete events before DATE (never younger than the retention floor)")
        prune.add_argument("--before", required=True, help="YYYY-MM-DD")

    def handle(self, *args, action, **options):
        if action == "verify":
            result = audit.verify(checkpoint_file=options["checkpoints"])
            if not result.ok:
                self.stderr.write(f"audit chain BROKEN: {result.problem} ({result.checked} events verified before it)")
                sys.exit(1)
            self.stdout.write(f"audit chain intact: {result.checked} events verified, "
                              f"{result.checkpoints} checkpoints matched")
            return
        if action == "checkpoint":
            fields = audit.checkpoint()
            if fields is None:
                raise CommandError("checkpoints are off: set AUDIT_CHECKPOINT_FILE")
            self.stdout.write(f"checkpoint written: #{fields['seq']} {fields['hash']}")
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
