from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from contrechamp.events.services import rights

DIRECTORY = Path(__file__).resolve().parents[2] / "data" / "rights_holders.csv"


class Command(BaseCommand):
    help = (
        "Load the rights holders shipped in events/data/rights_holders.csv into the shared "
        "directory. Idempotent: a holder already there is never duplicated nor overwritten, "
        "only completed with a website it lacks."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--file", type=Path, default=DIRECTORY, help="Another CSV (name, kind, website)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        report = rights.load_rights_holders(actor=None, data=data)
        if not report.applied:
            for line, reason in report.rejected:
                self.stderr.write(f"line {line}: {reason}")
            raise CommandError(f"Nothing loaded: {len(report.rejected)} row(s) rejected.")
        self.stdout.write(
            f"{report.rows} rows: {report.added} added, {report.completed} completed, "
            f"{report.unchanged} unchanged."
        )
