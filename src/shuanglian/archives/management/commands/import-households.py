import argparse
from pathlib import Path

from shuanglian.archives.importing import import_households, write_rejects
from shuanglian.core.management.importing import ImportCommand


class Command(ImportCommand):
    help = ("Import household archives from .xlsx or .csv (UTF-8 or GB18030). Any invalid row rejects the "
            "whole file unless --skip-invalid.")
    skip_help = "write the valid households; rejected rows go to --rejects"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--progress", type=Path, help=argparse.SUPPRESS)

    def run_import(self, file, *, actor, dry_run, skip_invalid, progress=None, **options):
        return import_households(file, actor=actor, dry_run=dry_run, skip_invalid=skip_invalid, progress_path=progress)

    def error_line(self, file, error) -> str:
        return f"{file.name}:{error}"

    def summary(self, result) -> str:
        s = result.summary()
        return (f"{s['rows']} rows, {s['valid_rows']} valid, {s['invalid_rows']} invalid; households "
                f"{s['households_created']} created, {s['households_updated']} updated; persons "
                f"{s['persons_created']} created, {s['persons_updated']} updated; "
                f"{'written' if result.written else 'nothing written'} in {result.seconds:.1f}s")

    def write_rejects(self, result, source, target) -> int:
        return write_rejects(result, source, target)
