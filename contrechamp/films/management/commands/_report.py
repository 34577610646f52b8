from django.core.management.base import BaseCommand, CommandError

from contrechamp.films.services import ImportReport


def write_report(command: BaseCommand, report: ImportReport) -> None:
    """Print an import report; CommandError (exit status 1) when nothing was imported."""
    if not report.applied:
        for rejection in report.rejected:
            where = f"line {rejection.line}" if rejection.line else "file"
            command.stderr.write(f"{where}: {rejection.reason}")
        raise CommandError(f"Nothing imported: {len(report.rejected)} row(s) rejected.")
    command.stdout.write(
        f"{report.rows} rows: {report.created} added, {report.updated} completed, "
        f"{report.unchanged} unchanged."
    )
    for label in report.not_found:
        command.stdout.write(f"not in the catalogue: {label}")
