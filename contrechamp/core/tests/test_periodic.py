import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from contrechamp.core import periodic

pytestmark = pytest.mark.django_db


@pytest.fixture
def counting_job(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    runs: list[int] = []

    def count() -> int:
        runs.append(1)
        return 1

    monkeypatch.setattr(periodic, "_jobs", {})
    periodic.register(periodic.Job(name="test.count", every=timedelta(hours=1), run=count))
    return runs


def test_a_job_runs_once_per_period(counting_job: list[int]) -> None:
    call_command("run_periodic_jobs", stdout=io.StringIO())
    call_command("run_periodic_jobs", stdout=io.StringIO())
    assert len(counting_job) == 1


def test_all_runs_every_job_now(counting_job: list[int]) -> None:
    call_command("run_periodic_jobs", stdout=io.StringIO())
    call_command("run_periodic_jobs", "--all", stdout=io.StringIO())
    assert len(counting_job) == 2
