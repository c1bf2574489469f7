"""`shuanglian demo [--seed N]`: build the demo district (衢江区 as the seed describes it) and print
how to log in. Running it again on a database that has the district only makes sure the demo
accounts exist. How later modules add their records: see shuanglian.demo.registry."""
import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from shuanglian.core.context import action_context, new_request_id
from shuanglian.core.exceptions import DomainError
from shuanglian.demo import figures
from shuanglian.demo.builders.users import PASSWORD, ensure_demo_users
from shuanglian.demo.runner import build_demo, demo_county, district_exists, summary

URL = "http://127.0.0.1:8000/"


def _width(text: str) -> int:
    """Columns a terminal gives the text: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "Build the demo district 衢江区 (the seed's figures) through the services and print the demo log-ins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2010, help="random seed (default 2010); same seed, same district")

    def handle(self, *args, seed: int, **options):
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not up to date: run `shuanglian migrate` first.")
        started = time.perf_counter()
        with action_context(request_id=new_request_id("cmd-"), channel="command"):
            try:
                if district_exists():
                    self.stdout.write(f"The demo district (衢江区, {figures.COUNTY_CODE}) already exists; "
                                      "nothing was rebuilt.")
                    accounts, _ = ensure_demo_users(demo_county(), self.stdout.write)
                else:
                    self.stdout.write(f"Building the demo district 衢江区 ({figures.COUNTY_CODE}) with seed {seed}.")
                    accounts = build_demo(seed=seed, log=self.stdout.write).accounts
            except DomainError as exc:
                raise CommandError(f"The demo could not be built, nothing was written: {exc.message}") from exc
            took = time.perf_counter() - started
            lines = summary(demo_county())
        self.stdout.write("")
        label_width = max(_width(label) for label, _ in lines)
        for label, value in lines:
            self.stdout.write(f"  {_pad(label, label_width)}  {value}")
        self.stdout.write(f"  {_pad('took', label_width)}  {took:.1f}s")
        self.stdout.write("")
        self.stdout.write(f"Open {URL} (start the server with `shuanglian runserver`) and log in as:")
        rows = [("username", "role", "where", "password")]
        rows += [(a.username, a.role, a.where, PASSWORD if a.created else f"{PASSWORD} (unless changed)")
                 for a in accounts]
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        for i, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(_pad(cell, widths[n]) for n, cell in enumerate(row)).rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
