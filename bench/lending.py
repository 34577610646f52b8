"""Library and equipment pages, and booking throughput, at scale.

    python bench/lending.py                       # SQLite and PostgreSQL, 200,000 items
    python bench/lending.py --database sqlite --items 20000 --loans 100000

For each database the script builds (once) its own data set: members and networks with
bench/generate.py, then items (a tenth of them networks' equipment) and past loans with
bulk_create. It then requests the lending pages through Django's full request handling
(middleware, templates, ORM; no network) and prints p50/p95 latency and SQL queries per
request, and finally measures booking throughput: `--writers` threads booking equipment
through `services.book_equipment` at the same time, part of them on the same items.
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import QueryCounter, child_env, database_url  # noqa: E402

BATCH = 5000
TITLES = [
    "Vertigo",
    "Jeanne Dielman",
    "Cléo de 5 à 7",
    "Le Mépris",
    "Pierrot le fou",
    "La Jetée",
    "Stalker",
    "Sans toit ni loi",
    "Playtime",
    "Les Glaneurs et la Glaneuse",
    "Chronique d'un été",
    "Beau travail",
]


def generate(items: int, loans: int, seed: int = 7) -> None:
    """Runs inside a child process, with DATABASE_URL set and members already there."""
    import django

    django.setup()
    from django.db import connection

    from contrechamp.lending.models import Item

    if Item.objects.exists():
        print("lending bench data already present", file=sys.stderr)
    else:
        _bulk_load(items, loans, seed)
    # Fresh statistics, as a production database keeps them (autovacuum, or `ANALYZE`
    # after a restore): without them the planners guess row counts and choose scans.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _bulk_load(items: int, loans: int, seed: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from contrechamp.accounts.models import User
    from contrechamp.lending.models import Item, Loan
    from contrechamp.networks.models import Network

    rng = random.Random(seed)
    started = time.monotonic()
    members = list(
        User.objects.filter(username__startswith="bench-", latitude__isnull=False).values_list(
            "pk", "city_name", "latitude", "longitude"
        )
    )
    networks = list(
        Network.objects.filter(is_online=False).values_list(
            "pk", "city_name", "latitude", "longitude"
        )
    )
    media: list[str] = [k for k in Item.Kind.values if k not in Item.EQUIPMENT_KINDS]
    equipment: list[str] = sorted(Item.EQUIPMENT_KINDS - {Item.Kind.KIT})
    now = timezone.now()
    rows = []
    for i in range(items):
        if i % 10 == 0:
            network_id, city, lat, lon = rng.choice(networks)
            owner: dict[str, Any] = {"owner_network_id": network_id}
            kind = rng.choice(equipment)
        else:
            member_id, city, lat, lon = rng.choice(members)
            owner = {"owner_user_id": member_id}
            kind = rng.choice(media)
        rows.append(
            Item(
                **owner,
                kind=kind,
                title=f"{rng.choice(TITLES)} #{i}",
                description="Bon état, boîtier d'origine.",
                city_name=city,
                latitude=lat or 0.0,  # only located members and networks are drawn
                longitude=lon or 0.0,
                visibility=Item.Visibility.PUBLIC if i % 4 else Item.Visibility.NETWORKS,
                created_at=now - timedelta(minutes=i),
                updated_at=now,
            )
        )
    with transaction.atomic():
        Item.objects.bulk_create(rows, batch_size=BATCH)
    print(f"{items:,} items in {time.monotonic() - started:.1f}s", file=sys.stderr)

    lendable = list(
        Item.objects.filter(owner_user__isnull=False).values_list("pk", "owner_user_id")
    )
    member_ids = [m[0] for m in members]
    batch: list[Loan] = []
    for i in range(loans):
        item_id, owner_id = rng.choice(lendable)
        borrower = rng.choice(member_ids)
        if borrower == owner_id:
            borrower = member_ids[(member_ids.index(borrower) + 1) % len(member_ids)]
        handed = now - timedelta(days=rng.randint(30, 1500))
        due = handed + timedelta(days=14)
        late = rng.random() < 0.1
        returned = due + timedelta(days=3 if late else -2)
        batch.append(
            Loan(
                item_id=item_id,
                borrower_id=borrower,
                status=Loan.Status.CLOSED if i % 50 else Loan.Status.RETURNED,
                due_on=due.date(),
                handed_over_at=handed,
                returned_at=returned,
                returned_late=late,
                created_at=handed - timedelta(days=2),
                updated_at=returned,
            )
        )
        if len(batch) == BATCH * 10:
            with transaction.atomic():
                Loan.objects.bulk_create(batch, batch_size=BATCH)
            batch = []
    with transaction.atomic():
        Loan.objects.bulk_create(batch, batch_size=BATCH)
    print(f"{loans:,} past loans in {time.monotonic() - started:.1f}s", file=sys.stderr)


def pages(item_id: int, equipment_id: int) -> dict[str, str]:
    tomorrow = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400))
    return {
        "library, newest first": "/library/",
        "library near Grenoble (30 km)": "/library/?near=Grenoble&km=30",
        "library search by title": "/library/?q=vertigo",
        "library DVDs near Lyon, free tomorrow": (
            f"/library/?kind=dvd&near=Lyon&km=30&from={tomorrow}&until={tomorrow}"
        ),
        "item page": f"/library/{item_id}/",
        "equipment near Grenoble (30 km)": "/equipment/?near=Grenoble&km=30",
        "equipment page": f"/equipment/{equipment_id}/",
    }


def measure(requests: int) -> dict[str, dict[str, float]]:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from contrechamp.accounts.models import User
    from contrechamp.lending.models import Item

    visitor = User.objects.get(username="bench-1")
    # The most borrowed public item: its page reads the visitor's track record and its loans.
    busiest = (
        Item.objects.filter(owner_user__isnull=False, visibility=Item.Visibility.PUBLIC)
        .annotate(n=Count("loans"))
        .order_by("-n")
        .values_list("pk", flat=True)[:1]
        .get()
    )
    equipment = (
        Item.objects.filter(owner_network__isnull=False, visibility=Item.Visibility.PUBLIC)
        .values_list("pk", flat=True)[:1]
        .get()
    )
    results: dict[str, dict[str, float]] = {}
    for signed_in in (False, True):
        client = Client()
        if signed_in:
            client.force_login(visitor)
        targets = pages(busiest, equipment)
        if signed_in:
            targets["my loans (member with ~50 past loans)"] = "/loans/"
        for label, path in targets.items():
            for _ in range(5):
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
            timings.sort()
            key = f"{label} ({'member' if signed_in else 'anonymous'})"
            results[key] = {
                "p50_ms": statistics.median(timings),
                "p95_ms": timings[int(len(timings) * 0.95) - 1],
                "queries": queries.count,
            }
    return results


def throughput(writers: int, per_writer: int) -> dict[str, float]:
    """`writers` threads each book `per_writer` one-hour slots; half the threads share
    a pool of five items, so that real conflicts happen."""
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from contrechamp.core.errors import Conflict
    from contrechamp.lending import services
    from contrechamp.lending.models import Booking, Item
    from contrechamp.networks.models import Role, RoleAssignment

    admins = dict(
        RoleAssignment.objects.filter(role=Role.ADMIN, ended_at__isnull=True).values_list(
            "network_id", "user"
        )
    )
    pool = list(
        Item.objects.filter(owner_network_id__in=admins.keys()).select_related("owner_network")[
            : writers * 2
        ]
    )
    Booking.objects.all().delete()
    users = {u.pk: u for u in _users(set(admins.values()))}
    base = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    counts = {"booked": 0, "conflict": 0, "error": 0}
    lock = threading.Lock()
    barrier = threading.Barrier(writers)

    def write(number: int) -> None:
        rng = random.Random(number)
        shared = number % 2 == 0
        barrier.wait()
        for slot in range(per_writer):
            item = rng.choice(pool[:5]) if shared else pool[5 + number % (len(pool) - 5)]
            start = base + timedelta(hours=slot if not shared else rng.randint(0, per_writer))
            assert item.owner_network_id is not None  # the pool holds network equipment
            actor = users[admins[item.owner_network_id]]
            try:
                services.book_equipment(
                    actor=actor, item=item, start=start, end=start + timedelta(hours=1)
                )
                outcome = "booked"
            except Conflict:
                outcome = "conflict"
            except Exception as error:  # reported in the figures: must stay at zero
                print(repr(error), file=sys.stderr)
                outcome = "error"
            with lock:
                counts[outcome] += 1
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = writers * per_writer
    return {
        "writers": writers,
        "attempts": total,
        "seconds": elapsed,
        "per_second": total / elapsed,
        **counts,
    }


def _users(pks: set[int]) -> list[Any]:
    from contrechamp.accounts.models import User

    return list(User.objects.filter(pk__in=pks))


def run(args: argparse.Namespace, database: str) -> None:
    env = child_env(database_url(database, f"lending-{args.items}"))
    python = sys.executable

    def child(*extra: str) -> str:
        result = subprocess.run(
            [python, *extra], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
        )
        return result.stdout

    child("manage.py", "migrate", "--noinput", "-v0")
    child("bench/generate.py", "--members", str(args.members), "--networks", str(args.networks))
    child(__file__, "--child", "generate", "--items", str(args.items), "--loans", str(args.loans))
    pages_out = child(__file__, "--child", "measure", "--requests", str(args.requests))
    booking_out = child(
        __file__,
        "--child",
        "throughput",
        "--writers",
        str(args.writers),
        "--per-writer",
        str(args.per_writer),
    )
    results = json.loads(pages_out.strip().splitlines()[-1])
    rate = json.loads(booking_out.strip().splitlines()[-1])
    print(
        f"\n{database}: {args.items:,} items, {args.loans:,} past loans, "
        f"{args.members:,} members, {args.requests} requests each"
    )
    print(f"{'page':<58} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, figures in results.items():
        print(
            f"{label:<58} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f}"
            f" {int(figures['queries']):>8}"
        )
    print(
        f"bookings: {rate['writers']} writers, {rate['attempts']} attempts in "
        f"{rate['seconds']:.1f}s = {rate['per_second']:.0f}/s; booked {rate['booked']}, "
        f"conflicts {rate['conflict']}, errors {rate['error']}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--loans", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--networks", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--per-writer", type=int, default=25)
    parser.add_argument("--child", choices=["generate", "measure", "throughput"])
    args = parser.parse_args()
    if args.child == "generate":
        generate(args.items, args.loans)
    elif args.child == "measure":
        print(json.dumps(measure(args.requests)))
    elif args.child == "throughput":
        print(json.dumps(throughput(args.writers, args.per_writer)))
    else:
        for database in ("sqlite", "postgres") if args.database == "both" else (args.database,):
            run(args, database)
