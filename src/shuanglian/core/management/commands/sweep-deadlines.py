"""`shuanglian sweep-deadlines [--at ISO-TIME]`: the deadline sweep once, now or at a given time."""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shuanglian.core.context import action_context, new_request_id
from shuanglian.core.deadlines import sweep_all


class Command(BaseCommand):
    help = "Set each open matter's deadline state (ok/yellow/red), raise yellow and red cards, notify."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="sweep as of this time (ISO 8601, e.g. 2010-03-15T09:00+08:00)")

    def handle(self, *args, at=None, **options):
        when = None
        if at:
            try:
                when = dt.datetime.fromisoformat(at)
            except ValueError:
                raise CommandError(f"--at: not an ISO 8601 time: {at!r} (e.g. 2010-03-15T09:00+08:00)") from None
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        with action_context(request_id=new_request_id("sweep-"), channel="command"):
            # One line per registered clocked model (today only matters registers one).
            for result in sweep_all(at=when).values():
                self.stdout.write(str(result))
