from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contrechamp.films import services
from contrechamp.films.imports import MAX_UPLOAD_BYTES
from contrechamp.films.management.commands._report import write_report


class Command(BaseCommand):
    help = (
        "Import films from a catalogue CSV (docs/imports.md) or a Wikidata entity JSON file. "
        "All or nothing; running it twice creates nothing the second time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["csv", "wikidata"], default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise CommandError("The file is larger than 10 MB.")
        kind = options["format"] or ("wikidata" if path.suffix.lower() == ".json" else "csv")
        data = path.read_bytes()
        if kind == "wikidata":
            report = services.import_wikidata(actor=None, data=data)
        else:
            report = services.import_catalogue_csv(actor=None, data=data)
        write_report(self, report)
