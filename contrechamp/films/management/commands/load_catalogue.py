from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from contrechamp.films import services
from contrechamp.films.management.commands._report import write_report

CATALOGUE = Path(__file__).resolve().parents[2] / "data" / "catalogue.csv"


class Command(BaseCommand):
    help = (
        "Load the starting catalogue shipped in films/data/catalogue.csv. Idempotent: films "
        "already there are matched and completed, never duplicated."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = services.import_catalogue_csv(actor=None, data=CATALOGUE.read_bytes())
        write_report(self, report)
