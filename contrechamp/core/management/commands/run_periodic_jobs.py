from typing import Any

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from contrechamp.core import periodic


class Command(BaseCommand):
    help = "Run the periodic jobs that are due (reminders, overdue notices, digests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="run every job now")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        for job in periodic.jobs():
            key = f"periodic:last-run:{job.name}"
            last_run = cache.get(key)
            if not options["all"] and last_run is not None and now - last_run < job.every:
                continue
            done = job.run()
            cache.set(key, now, timeout=None)
            self.stdout.write(f"{job.name}: {done}")
