from shuanglian.core.management.importing import ImportCommand
from shuanglian.teams.importing import import_team_members, write_rejects


class Command(ImportCommand):
    help = ("Import grid team lists (promoters and volunteers) from .xlsx or .csv (UTF-8 or GB18030). Any "
            "invalid row means nothing is written unless --skip-invalid. Invalid rows are listed as "
            "file:line: column: reason.")

    def run_import(self, file, *, actor, dry_run, skip_invalid, **options):
        return import_team_members(file, actor=actor, dry_run=dry_run, skip_invalid=skip_invalid)

    def summary(self, result) -> str:
        s = result.summary()
        return (f"{s['rows']} rows, {s['valid_rows']} valid, {s['invalid_rows']} invalid; "
                f"{s.get('promoters', 0)} promoters and {s.get('volunteers', 0)} volunteers, "
                f"{s.get('members_created', 0)} new members; {'written' if result.written else 'nothing written'}")

    def write_rejects(self, result, source, target) -> int:
        return write_rejects(result, source, target)
