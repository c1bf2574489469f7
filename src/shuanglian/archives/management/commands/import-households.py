import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shuanglian.accounts.models import User
from shuanglian.archives.importing import import_households, write_rejects
from shuanglian.core.context import action_context, new_request_id


class Command(BaseCommand):
    help = ("Import household archives from .xlsx or .csv (UTF-8 or GB18030). Any invalid row rejects the "
            "whole file unless --skip-invalid.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--skip-invalid", action="store_true",
                            help="write the valid households; rejected rows go to --rejects")
        parser.add_argument("--rejects", type=Path, help="where rejected rows go (default FILE.rejects.csv)")
        parser.add_argument("--actor", help="username to import as (scope and audit); default: system")
        parser.add_argument("--progress", type=Path, help=argparse_suppress())

    def handle(self, *args, file, dry_run, skip_invalid, rejects, actor, progress, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        user = None
        if actor:
            user = User.objects.filter(username=actor, is_active=True).first()
            if user is None:
                raise CommandError(f"--actor {actor}: no such active user")
        with action_context(request_id=new_request_id("cmd-"), channel="command"):
            result = import_households(file, actor=user, dry_run=dry_run, skip_invalid=skip_invalid,
                                       progress_path=progress)
        for error in result.errors:
            self.stderr.write(f"{file.name}:{error}")
        s = result.summary()
        self.stdout.write(
            f"{s['rows']} rows, {s['valid_rows']} valid, {s['invalid_rows']} invalid; households "
            f"{s['households_created']} created, {s['households_updated']} updated; persons "
            f"{s['persons_created']} created, {s['persons_updated']} updated; "
            f"{'written' if result.written else 'nothing written'} in {result.seconds:.1f}s")
        if result.errors and skip_invalid and not dry_run:
            target = rejects or file.with_name(file.name + ".rejects.csv")
            count = write_rejects(result, file, target)
            self.stdout.write(f"{count} rejected rows with reasons written to {target}")
            return
        if result.errors:
            sys.exit(1)


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS
