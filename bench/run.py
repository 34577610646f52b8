"""Server-side latency and query counts of the directory and network pages at scale.

    make bench                        # SQLite and PostgreSQL, 100,000 members, 5,000 networks
    python bench/run.py --database sqlite --members 10000 --networks 500

For each database the script builds (once) a data set with bench/generate.py in its own
database (SQLite: var/bench/directory-….sqlite3; PostgreSQL: `contrechamp_bench_directory_…` on
the server of BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432), then
requests each page through Django's full request handling (middleware, templates, ORM;
no network) and prints p50/p95 latency and the number of SQL queries per request.
Run it twice at different sizes to see that query counts do not grow with the data.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def pages(networks: int) -> dict[str, str]:
    return {
        "directory near Grenoble (30 km)": "/networks/?near=Grenoble&km=30",
        "directory near Paris (30 km), page 2": "/networks/?near=Paris&km=30&page=2",
        "directory search by name": "/networks/?q=cine+club+lyon",
        "network page (2,000+ members)": "/networks/bench-0/",
        "network page (typical)": f"/networks/bench-{networks // 2 + 1}/",
    }


def database_url(database: str, name: str) -> str:
    """The bench database `name` (say "events-50000") on `database`, created if missing:
    var/bench/<name>.sqlite3, or contrechamp_bench_<name> on BENCH_POSTGRES_URL. Each
    benchmark keeps its own, so that data sets of different sizes are built once."""
    if database == "sqlite":
        path = ROOT / "var" / "bench" / f"{name}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    database_name = "contrechamp_bench_" + name.replace("-", "_")
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database_name,)
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{database_name}"')
    return f"{POSTGRES_SERVER}/{database_name}"


def child_env(url: str) -> dict[str, str]:
    """The environment of a benchmark's child processes: production settings (no debug
    toolbar, no N+1 detector, cached templates) on the bench database."""
    return dict(os.environ) | {
        "DATABASE_URL": url,
        "CONTRECHAMP_DEBUG": "0",
        "CONTRECHAMP_HTTPS": "0",
        "CONTRECHAMP_ALLOWED_HOSTS": "testserver",
        "CONTRECHAMP_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_SETTINGS_MODULE": "contrechamp.settings",
    }


class QueryCounter:
    """Counts SQL statements; Django's own query log is reset by every request_started."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def percentiles(timings: list[float]) -> dict[str, float]:
    """p50 and p95 of timings in milliseconds."""
    ordered = sorted(timings)
    return {
        "p50_ms": statistics.median(ordered),
        "p95_ms": ordered[max(int(len(ordered) * 0.95) - 1, 0)],
    }


def time_page(client: Any, path: str, requests: int) -> dict[str, float]:
    """One page through Django's full request handling: three warm-up requests (which must
    answer 200), the SQL statements of one request, then p50/p95 over `requests`."""
    from django.db import connection

    for _ in range(3):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    queries = QueryCounter()
    with connection.execute_wrapper(queries):
        client.get(path)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    return {**percentiles(timings), "queries": queries.count}


def measure(requests: int, networks: int) -> dict[str, dict[str, float]]:
    """Runs inside the child process, with DATABASE_URL set."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from contrechamp.accounts.models import User

    results: dict[str, dict[str, float]] = {}
    visitor = User.objects.get(username="bench-1")
    for signed_in in (False, True):
        client = Client()
        if signed_in:
            client.force_login(visitor)
        for label, path in pages(networks).items():
            for _ in range(5):  # warm caches: gazetteer, templates, database pages
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
            timings = []
            queries = QueryCounter()
            with connection.execute_wrapper(queries):
                client.get(path)
            for _ in range(requests):
                started = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            key = f"{label} ({'member' if signed_in else 'anonymous'})"
            results[key] = {
                "p50_ms": statistics.median(timings),
                "p95_ms": timings[int(len(timings) * 0.95) - 1],
                "queries": queries.count,
            }
    return results


def run(database: str, members: int, networks: int, requests: int) -> None:
    env = child_env(database_url(database, f"directory-{members}-{networks}"))
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [python, "bench/generate.py", "--members", str(members), "--networks", str(networks)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    output = subprocess.run(
        [python, __file__, "--child", "--requests", str(requests), "--networks", str(networks)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    results = json.loads(output.strip().splitlines()[-1])
    print(f"\n{database}: {members:,} members, {networks:,} networks, {requests} requests each")
    print(f"{'page':<58} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, figures in results.items():
        print(
            f"{label:<58} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f}"
            f" {int(figures['queries']):>8}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--networks", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(measure(args.requests, args.networks)))
    else:
        databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
        for database in databases:
            run(database, args.members, args.networks, args.requests)
