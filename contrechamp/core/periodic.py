"""Periodic jobs (reminders, overdue notices, digests), registered by the apps that own them.

    periodic.register(periodic.Job(
        name="lending.due_reminders",
        every=timedelta(hours=1),
        run=send_due_reminders,      # () -> int: how many things it did
    ))

`manage.py run_periodic_jobs` runs every job whose period has elapsed since its last run
(remembered in the database), `--all` runs them all now. A timer calls it every few minutes
in production (docs/admins.md); each job must be idempotent (it works out from the data
what is due and not yet done), so running it twice or late is harmless.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[], int]


_jobs: dict[str, Job] = {}


def register(job: Job) -> None:
    _jobs[job.name] = job


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)
