from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from contrechamp.venues import services

VENUES = Path(__file__).resolve().parents[2] / "data" / "venues.csv"


class Command(BaseCommand):
    help = (
        "Load the French independent cinemas, cinémathèques and médiathèques shipped in "
        "venues/data/venues.csv. Idempotent: venues already listed (same name in the same "
        "town) are left as they are, never duplicated."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--file", type=Path, default=VENUES, help="Another CSV file with the same columns."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        report = services.import_venues_csv(actor=None, data=data)
        if not report.applied:
            for rejection in report.rejected:
                where = f"line {rejection.line}" if rejection.line else "file"
                self.stderr.write(f"{where}: {rejection.reason}")
            raise CommandError(f"Nothing loaded: {len(report.rejected)} row(s) rejected.")
        self.stdout.write(
            f"{report.rows} venues: {report.created} added, {report.already_listed} already listed."
        )
