"""The API's list endpoints at scale: p50/p95 latency and SQL queries per request.

    python bench/api.py                                  # SQLite and PostgreSQL, full size
    python bench/api.py --database sqlite --members 10000 --networks 500 \\
        --films 5000 --events 5000 --rsvps 50000 --items 20000 --loans 50000

For each database the script builds (once) its own data set from the other benchmarks'
generators: members and networks with bench/generate.py; the shipped catalogue and
`--films` films with their directors (bench/search.py); venues, events and RSVPs
(bench/events.py); library items and past loans (bench/lending.py); then, for the member
who calls with a token (`bench-1`), 60 films on their watchlist and a personal access
token with a known secret (made as contrechamp/api/tests/test_schemathesis.py makes
its own), and `ANALYZE`.

Each list endpoint (networks, films, events, venues, library, and the caller's own lists
under /api/me/) is requested through Django's whole stack (URL routing, the API's rate
limit, authentication, django-ninja's validation and serialisation, the ORM; no network)
with the test client in a child process on production settings, anonymously and with the
token: 5 warm-up requests, then `--requests` measured ones; SQL statements are counted on
one request with an execute wrapper. Besides wall-clock p50/p95, "CPU p50" is the
processor time the Django process itself spent per request (without the database
server's share on PostgreSQL): it does not grow when other work shares the cores, and
the load average printed at the end says how much did. Run it at two sizes to see that
the counts do not grow with the data.

The rate limit (300 requests per 5 minutes per token or address) would answer 429 after
the first few hundred requests: the child raises `throttling.LIMIT` as the API's own
schema tests do, so every request still counts itself in the cache (that cost is part of
the figures) but none is refused.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import QueryCounter, child_env, database_url  # noqa: E402

VISITOR = "bench-1"
TOKEN_SECRET = "bench-api-token-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
WATCHLIST = 60


def endpoints(network: str) -> dict[str, str]:
    """Public list endpoints, with the filters a phone app or a script would use;
    `network` is the slug of the network with the most events."""
    tomorrow = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400))
    in_a_month = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 30 * 86400))
    return {
        "networks": "/api/networks",
        "networks near Grenoble (30 km)": "/api/networks?near=Grenoble&km=30",
        "networks by name": "/api/networks?q=cine+club+lyon",
        "networks of a type": "/api/networks?type=association",
        "networks, 100 from offset 400": "/api/networks?limit=100&offset=400",
        "films": "/api/films",
        "films ?q=enfants paradis": "/api/films?q=enfants+paradis",
        "films ?q=nuit (thousands match)": "/api/films?q=nuit",
        "films, genre and decade": "/api/films?genre=drama&decade=1960",
        "films, 100 from offset 1000": "/api/films?limit=100&offset=1000",
        "events to come": "/api/events",
        "events near Lyon (30 km)": "/api/events?near=Lyon&km=30",
        "events by title": "/api/events?q=marathon",
        "events of a busy network": f"/api/events?network={network}",
        "events this month, screenings": (
            f"/api/events?kind=screening&from={tomorrow}&to={in_a_month}"
        ),
        "events past, 100": "/api/events?past=true&limit=100",
        "venues": "/api/venues",
        "venues near Lyon (30 km)": "/api/venues?near=Lyon&km=30",
        "venues by name": "/api/venues?q=salle+fetes+12",
        "library": "/api/library",
        "library near Grenoble (30 km)": "/api/library?near=Grenoble&km=30",
        "library by title": "/api/library?q=vertigo",
        "library DVDs near Lyon, free tomorrow": (
            f"/api/library?kind=dvd&near=Lyon&km=30&from={tomorrow}&until={tomorrow}"
        ),
        "library, 100 from offset 900": "/api/library?limit=100&offset=900",
    }


def my_endpoints() -> dict[str, str]:
    """The caller's own lists: with a token only."""
    return {
        "me": "/api/me",
        "my watchlist (60 films)": "/api/me/watchlist",
        "my events": "/api/me/events",
        "my loans, borrowing": "/api/me/loans",
        "my loans, lending": "/api/me/loans?side=lending",
    }


def generate(films: int, events: int, rsvps: int, items: int, loans: int) -> None:
    """Runs inside a child process, with DATABASE_URL set and members already there."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import events as events_bench
    from bench import lending as lending_bench
    from bench import search as search_bench
    from contrechamp.events.models import Event
    from contrechamp.films.models import Film
    from contrechamp.lending.models import Item

    started = time.monotonic()
    if not Film.objects.exists():
        call_command("load_catalogue", verbosity=0)
        search_bench._films(films)
    if not Event.objects.exists():
        events_bench._bulk_load(events, rsvps, seed=11)
    if not Item.objects.exists():
        lending_bench._bulk_load(items, loans, seed=7)
    _caller()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"API data set ready in {time.monotonic() - started:.0f}s", file=sys.stderr)


def _caller() -> None:
    """The member who calls with a token: a watchlist, and the token itself."""
    from django.utils import timezone

    from contrechamp.accounts.models import User
    from contrechamp.api.models import ApiToken
    from contrechamp.api.services import hash_secret
    from contrechamp.films.models import Film, WatchlistEntry

    visitor = User.objects.get(username=VISITOR)
    if not WatchlistEntry.objects.filter(user=visitor).exists():
        now = timezone.now()
        WatchlistEntry.objects.bulk_create(
            WatchlistEntry(user=visitor, film_id=film_id, added_at=now - timedelta(days=n))
            for n, film_id in enumerate(
                Film.objects.order_by("pk").values_list("pk", flat=True)[:WATCHLIST]
            )
        )
    ApiToken.objects.get_or_create(
        secret_hash=hash_secret(TOKEN_SECRET),
        defaults={
            "owner": visitor,
            "name": "Bench",
            "prefix": TOKEN_SECRET[:8],
            "scope": ApiToken.Scope.READ,
        },
    )


def measure(requests: int) -> dict[str, dict[str, float]]:
    """Runs inside the child process, with DATABASE_URL set."""
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from contrechamp.api import throttling
    from contrechamp.events.models import Event

    throttling.LIMIT = 10**9
    busiest = (
        Event.objects.filter(visibility=Event.Visibility.PUBLIC)
        .values("network__slug")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("network__slug", flat=True)[:1]
        .get()
    )
    results: dict[str, dict[str, float]] = {}
    every: list[float] = []
    for caller in ("anonymous", "token"):
        client = Client()
        headers = {"Authorization": f"Bearer {TOKEN_SECRET}"} if caller == "token" else {}
        paths = endpoints(busiest) | (my_endpoints() if caller == "token" else {})
        for label, path in paths.items():
            for _ in range(5):  # warm caches: gazetteer, database pages, the token's use
                response = client.get(path, headers=headers)
                assert response.status_code == 200, (path, response.status_code)
            queries = QueryCounter()
            with connection.execute_wrapper(queries):
                response = client.get(path, headers=headers)
            body = response.json()
            rows = len(body.get("items", body.get("rsvps", ())))
            timings = []
            cpu = []
            for _ in range(requests):
                started, cpu_started = time.perf_counter(), time.process_time()
                client.get(path, headers=headers)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
            every += timings
            timings.sort()
            results[f"{label} ({caller})"] = {
                "p50_ms": statistics.median(timings),
                "p95_ms": timings[max(int(len(timings) * 0.95) - 1, 0)],
                "cpu_p50_ms": statistics.median(cpu),
                "queries": queries.count,
                "rows": rows,
            }
    every.sort()
    results["every request of this run"] = {
        "p50_ms": statistics.median(every),
        "p95_ms": every[int(len(every) * 0.95) - 1],
        "cpu_p50_ms": -1,
        "queries": -1,
        "rows": -1,
    }
    # The machine's load while measuring (2 cores shared with other work): above 2, the
    # latencies include waiting for a core.
    results["load average at the end (1 min, 5 min)"] = {
        "p50_ms": os.getloadavg()[0],
        "p95_ms": os.getloadavg()[1],
        "cpu_p50_ms": -1,
        "queries": -1,
        "rows": -1,
    }
    return results


def run(args: argparse.Namespace, database: str) -> None:
    size = f"{args.members}-{args.networks}-{args.films}-{args.events}-{args.items}"
    env = child_env(database_url(database, f"api-{size}"))
    python = sys.executable

    def child(*extra: str) -> str:
        result = subprocess.run(
            [python, *extra], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
        )
        return result.stdout

    child("manage.py", "migrate", "--noinput", "-v0")
    child("bench/generate.py", "--members", str(args.members), "--networks", str(args.networks))
    child(
        __file__,
        "--child",
        "generate",
        *("--films", str(args.films), "--events", str(args.events), "--rsvps", str(args.rsvps)),
        *("--items", str(args.items), "--loans", str(args.loans)),
    )
    out = child(__file__, "--child", "measure", "--requests", str(args.requests))
    results = json.loads(out.strip().splitlines()[-1])
    print(
        f"\n{database}: {args.members:,} members, {args.networks:,} networks, "
        f"{args.films:,} films, {args.events:,} events ({args.rsvps:,} RSVPs), "
        f"{args.items:,} items ({args.loans:,} loans); {args.requests} requests each"
    )
    print(f"{'endpoint':<58} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'queries':>8} {'rows':>5}")
    for label, figures in results.items():
        cpu = f"{figures['cpu_p50_ms']:.1f}" if figures["cpu_p50_ms"] >= 0 else ""
        queries = int(figures["queries"])
        rows = int(figures["rows"])
        print(
            f"{label:<58} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f} {cpu:>8}"
            f" {queries if queries >= 0 else '':>8} {rows if rows >= 0 else '':>5}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--networks", type=int, default=5_000)
    parser.add_argument("--films", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--rsvps", type=int, default=500_000)
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--loans", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--child", choices=["generate", "measure"])
    args = parser.parse_args()
    if args.child == "generate":
        generate(args.films, args.events, args.rsvps, args.items, args.loans)
    elif args.child == "measure":
        print(json.dumps(measure(args.requests)))
    else:
        for database in ("sqlite", "postgres") if args.database == "both" else (args.database,):
            run(args, database)
