"""Suggestions for a role call and the projects pages, among 100,000 members.

    python bench/projects.py                          # SQLite and PostgreSQL
    python bench/projects.py --database sqlite --members 20000

For each database the script builds (once) its own data set: members and networks with
bench/generate.py (two skills each, in French-speaking towns), then a fifth of the
members open to role calls with a declared availability period (some hiding their city),
and projects with role calls in towns drawn at random, with bulk_create. It then measures
`matching.suggest` for calls drawn at random (crew calls on one skill; volunteer calls
without a skill, the widest prefilter) and the project and calls pages through Django's
full request handling, and prints p50/p95 latency and SQL queries per call.
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import QueryCounter, child_env, database_url, time_page  # noqa: E402

BATCH = 5000


def generate(projects: int, seed: int = 7) -> None:
    """Runs inside a child process, with DATABASE_URL set and members already there."""
    import django

    django.setup()
    from django.db import connection

    from contrechamp.projects.models import CallProfile

    if CallProfile.objects.exists():
        print("projects bench data already present", file=sys.stderr)
    else:
        _bulk_load(projects, seed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _bulk_load(project_count: int, seed: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from contrechamp.accounts.models import Skill, User
    from contrechamp.projects.models import (
        AvailabilityPeriod,
        CallProfile,
        Project,
        RoleCall,
        TeamMember,
    )

    rng = random.Random(seed)
    started = time.monotonic()
    now = timezone.now()
    today = timezone.localdate()
    skills = list(Skill.objects.values_list("pk", flat=True))
    members = list(
        User.objects.filter(username__startswith="bench-", latitude__isnull=False).values_list(
            "pk", "city_name", "latitude", "longitude"
        )
    )
    rng.shuffle(members)
    open_rows = members[: len(members) // 5]
    hidden = [row[0] for row in open_rows[: len(open_rows) // 10]]
    with transaction.atomic():
        CallProfile.objects.bulk_create(
            (
                CallProfile(
                    member_id=row[0],
                    open_to_calls=rng.random() < 0.9,
                    travel_km=rng.choice([20, 50, 100, 300]),
                    updated_at=now,
                )
                for row in open_rows
            ),
            batch_size=BATCH,
        )
        periods = []
        for row in open_rows:
            start = today + timedelta(days=rng.randint(0, 120))
            periods.append(
                AvailabilityPeriod(
                    member_id=row[0],
                    starts_on=start,
                    ends_on=start + timedelta(days=rng.randint(2, 40)),
                )
            )
        AvailabilityPeriod.objects.bulk_create(periods, batch_size=BATCH)
    User.objects.filter(pk__in=hidden).update(visibility={"city": "private"})
    print(f"{len(open_rows):,} members open to calls in {time.monotonic() - started:.1f}s",
          file=sys.stderr)  # fmt: skip

    owners = rng.sample(members, project_count)
    with transaction.atomic():
        created = Project.objects.bulk_create(
            (
                Project(
                    slug=f"bench-project-{n}",
                    title=f"Court métrage {n}",
                    kind=Project.Kind.SHORT_FILM,
                    description="Un tournage associatif.",
                    city_name=city,
                    latitude=lat,
                    longitude=lon,
                    owner_id=uid,
                    created_at=now - timedelta(minutes=n),
                    updated_at=now,
                )
                for n, (uid, city, lat, lon) in enumerate(owners)
            ),
            batch_size=BATCH,
        )
        TeamMember.objects.bulk_create(
            (
                TeamMember(project=project, member_id=project.owner_id, is_manager=True)
                for project in created
            ),
            batch_size=BATCH,
        )
        calls = []
        for project in created:
            for number in range(rng.randint(1, 4)):
                start = today + timedelta(days=rng.randint(10, 110))
                crew = number % 3 != 2
                calls.append(
                    RoleCall(
                        project=project,
                        kind=RoleCall.Kind.CREW if crew else RoleCall.Kind.VOLUNTEER,
                        skill_id=rng.choice(skills) if crew else None,
                        title=f"Rôle {number}",
                        people_needed=rng.randint(1, 10),
                        starts_on=start,
                        ends_on=start + timedelta(days=rng.randint(0, 4)),
                        deadline=start - timedelta(days=5),
                        city_name=project.city_name,
                        latitude=project.latitude,
                        longitude=project.longitude,
                        created_at=now,
                    )
                )
        RoleCall.objects.bulk_create(calls, batch_size=BATCH)
    print(f"{project_count:,} projects, {len(calls):,} calls in "
          f"{time.monotonic() - started:.1f}s", file=sys.stderr)  # fmt: skip


def _percentiles(timings: list[float]) -> dict[str, float]:
    timings.sort()
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[max(int(len(timings) * 0.95) - 1, 0)],
    }


def measure(calls: int, requests: int) -> dict[str, dict[str, float]]:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from contrechamp.projects import matching
    from contrechamp.projects.models import Project, RoleCall

    rng = random.Random(3)
    results: dict[str, dict[str, float]] = {}
    for label, kind in (
        ("suggestions, crew call (one skill)", RoleCall.Kind.CREW),
        ("suggestions, volunteer call (no skill: widest)", RoleCall.Kind.VOLUNTEER),
    ):
        ids = list(RoleCall.objects.filter(kind=kind).values_list("pk", flat=True)[:5000])
        sample = list(
            RoleCall.objects.filter(pk__in=rng.sample(ids, min(calls, len(ids)))).select_related(
                "skill", "project"
            )
        )
        for call in sample[:5]:
            matching.suggest(call)
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            found = len(matching.suggest(sample[0]))
        timings = []
        for call in sample:
            started = time.perf_counter()
            matching.suggest(call)
            timings.append((time.perf_counter() - started) * 1000)
        results[label] = {**_percentiles(timings), "queries": queries.count, "found": found}

    project = Project.objects.order_by("pk").first()
    assert project is not None
    first_call = RoleCall.objects.filter(project=project).order_by("pk").first()
    assert first_call is not None
    call = first_call
    owner = project.owner
    visitor = Client()
    manager = Client()
    manager.force_login(owner)
    pages = {
        "projects list (anonymous)": (visitor, "/projects/"),
        "projects near Lyon (50 km)": (visitor, "/projects/?near=Lyon&km=50"),
        "open role calls (anonymous)": (visitor, "/calls/"),
        "open role calls near Paris, one skill": (visitor, "/calls/?near=Paris&kind=crew"),
        "project page (its manager)": (manager, project.get_absolute_url()),
        "role call page with suggestions (manager)": (manager, call.get_absolute_url()),
    }
    for label, (client, path) in pages.items():
        results[label] = time_page(client, path, requests)
    return results


def run(args: argparse.Namespace, database: str) -> None:
    env = child_env(database_url(database, f"projects-{args.members}"))
    python = sys.executable

    def child(*extra: str) -> str:
        result = subprocess.run(
            [python, *extra], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
        )
        return result.stdout

    child("manage.py", "migrate", "--noinput", "-v0")
    child("bench/generate.py", "--members", str(args.members), "--networks", str(args.networks))
    child(__file__, "--child", "generate", "--projects", str(args.projects))
    out = child(
        __file__, "--child", "measure", "--calls", str(args.calls), "--requests", str(args.requests)
    )
    results = json.loads(out.strip().splitlines()[-1])
    print(
        f"\n{database}: {args.members:,} members (a fifth open to role calls), "
        f"{args.projects:,} projects; {args.calls} suggestions, {args.requests} requests per page"
    )
    print(f"{'what':<48} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, figures in results.items():
        print(
            f"{label:<48} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f}"
            f" {int(figures['queries']):>8}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--networks", type=int, default=5_000)
    parser.add_argument("--projects", type=int, default=2_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--child", choices=["generate", "measure"])
    args = parser.parse_args()
    if args.child == "generate":
        generate(args.projects)
    elif args.child == "measure":
        print(json.dumps(measure(args.calls, args.requests)))
    else:
        for database in ("sqlite", "postgres") if args.database == "both" else (args.database,):
            run(args, database)
