"""The frame every import command shares: FILE [--dry-run] [--skip-invalid] [--rejects PATH] [--actor USER],
run under a command action context; invalid rows on stderr, a summary on stdout, rejected rows to a file
with --skip-invalid, exit status 1 when any row was invalid (and they were not skipped)."""
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from shuanglian.core.context import action_context, new_request_id


class ImportCommand(BaseCommand):
    skip_help = "write the valid rows; rejected rows go to --rejects"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--skip-invalid", action="store_true", help=self.skip_help)
        parser.add_argument("--rejects", type=Path, help="where rejected rows go (default FILE.rejects.csv)")
        parser.add_argument("--actor", help="username to import as (scope and audit); default: system")

    def run_import(self, file: Path, *, actor, dry_run: bool, skip_invalid: bool, **options):
        """Import and return the result (with `errors`, `written`)."""
        raise NotImplementedError

    def summary(self, result) -> str:
        raise NotImplementedError

    def error_line(self, file: Path, error) -> str:
        return error.located(file.name)

    def write_rejects(self, result, source: Path, target: Path) -> int:
        raise NotImplementedError

    def handle(self, *args, file, dry_run, skip_invalid, rejects, actor, **options):
        User = get_user_model()  # accounts sits above core
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        user = None
        if actor:
            user = User.objects.filter(username=actor, is_active=True).first()
            if user is None:
                raise CommandError(f"--actor {actor}: no such active user")
        with action_context(request_id=new_request_id("cmd-"), channel="command"):
            result = self.run_import(file, actor=user, dry_run=dry_run, skip_invalid=skip_invalid, **options)
        for error in result.errors:
            self.stderr.write(self.error_line(file, error))
        self.stdout.write(self.summary(result))
        if result.errors and skip_invalid and not dry_run:
            target = rejects or file.with_name(file.name + ".rejects.csv")
            count = self.write_rejects(result, file, target)
            self.stdout.write(f"{count} rejected rows with reasons written to {target}")
            return
        if result.errors:
            sys.exit(1)
