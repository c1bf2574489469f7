"""`shuanglian worker`: the embedded default's job runner (periodic tasks and queued runs)."""
import time

from django.core.management.base import BaseCommand

from shuanglian.core import tasks


class Command(BaseCommand):
    help = "Run background tasks: periodic ones on their interval, queued ones as they come. Ctrl-C stops."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit (cron, tests)")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between passes when idle")

    def handle(self, *args, once=False, interval=5.0, **options):
        tasks.autodiscover()
        names = ", ".join(f"{s.name} every {s.every}s" for s in tasks.REGISTRY.values() if s.every) or "none"
        self.stdout.write(f"worker {tasks.worker_label()}; periodic: {names}")
        while True:
            done = tasks.work_once()
            if done:
                self.stdout.write(f"ran {done}")
            if once:
                return
            if not done:
                time.sleep(interval)
