from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contrechamp.accounts.models import User
from contrechamp.films import services
from contrechamp.films.imports import MAX_UPLOAD_BYTES
from contrechamp.films.management.commands._report import write_report


class Command(BaseCommand):
    help = (
        "Fill a member's ratings and watchlist from their Letterboxd export (the zip, or "
        "ratings.csv, watched.csv, watchlist.csv, diary.csv)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        member = User.objects.filter(username=options["username"], deleted_at__isnull=True).first()
        if member is None:
            raise CommandError(f"No member named {options['username']}.")
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise CommandError("The file is larger than 10 MB.")
        report = services.import_letterboxd(
            actor=member, filename=path.name, data=path.read_bytes()
        )
        write_report(self, report)
