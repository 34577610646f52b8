from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from contrechamp.core import periodic
from contrechamp.core.models import PeriodicJobRun


class Command(BaseCommand):
    help = "Run the periodic jobs that are due (reminders, overdue notices, digests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="run every job now")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        last_runs = dict(PeriodicJobRun.objects.values_list("name", "last_run_at"))
        for job in periodic.jobs():
            last_run = last_runs.get(job.name)
            if not options["all"] and last_run is not None and now - last_run < job.every:
                continue
            done = job.run()
            if not PeriodicJobRun.objects.filter(name=job.name).update(last_run_at=now):
                PeriodicJobRun.objects.create(name=job.name, last_run_at=now)
            self.stdout.write(f"{job.name}: {done}")
