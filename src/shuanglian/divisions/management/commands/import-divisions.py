import datetime as dt
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shuanglian.core.context import action_context, new_request_id
from shuanglian.core.exceptions import ImportRejected
from shuanglian.divisions.importing import import_divisions


class Command(BaseCommand):
    help = "Load national division lists (provinces, cities, areas, streets CSV) in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--effective", type=str, default=None, help="effective date YYYY-MM-DD (default today)")

    def handle(self, *args, files, effective, **options):
        day = dt.date.fromisoformat(effective) if effective else None
        started = time.perf_counter()
        with action_context(request_id=new_request_id("cmd-"), channel="command"):
            try:
                report = import_divisions(actor=None, paths=files, effective_on=day)
            except ImportRejected as exc:
                self.stderr.write(exc.message)
                sys.exit(1)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        took = time.perf_counter() - started
        self.stdout.write(
            f"read {report.read}, created {report.created}, renamed {report.renamed}, "
            f"unchanged {report.unchanged} in {took:.1f}s"
        )
