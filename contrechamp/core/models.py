from django.db import models


class PeriodicJobRun(models.Model):
    """When each periodic job last ran: kept in the database so that every process and
    every run of `run_periodic_jobs` agrees, with or without a shared cache."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} · {self.last_run_at:%Y-%m-%d %H:%M}"
