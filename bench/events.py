"""Agenda, event and venue pages, calendar feeds and RSVP throughput, at scale.

    python bench/events.py                        # SQLite and PostgreSQL, 50,000 events
    python bench/events.py --database sqlite --events 5000 --rsvps 200000

For each database the script builds (once) its own data set: members and networks with
bench/generate.py, then venues in the networks' towns, events over two years (a fifth of
them members-only, one in ten a monthly series occurrence, each showing a film of the
catalogue) and RSVPs spread over them (one event has thousands), with bulk_create. It
then requests the pages through Django's full request handling (middleware, templates,
ORM; no network) and prints p50/p95 latency and SQL queries per request, and finally
measures RSVP throughput: `--writers` threads answering "going" through
`attendance.rsvp` at the same time on a few events with little capacity left.
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
    "Ciné-club du jeudi",
    "Nuit du court métrage",
    "Ciné-débat",
    "Séance en plein air",
    "Marathon Kubrick",
    "Atelier super 8",
    "Soirée patrimoine",
    "Avant-première",
]


def generate(events: int, rsvps: int, seed: int = 11) -> None:
    """Runs inside a child process, with DATABASE_URL set and members already there."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from contrechamp.events.models import Event

    if Event.objects.exists():
        print("events bench data already present", file=sys.stderr)
    else:
        call_command("load_catalogue", verbosity=0)
        _bulk_load(events, rsvps, seed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _bulk_load(events: int, rsvps: int, seed: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from contrechamp.accounts.models import User
    from contrechamp.core import places
    from contrechamp.events.models import Event, EventSeries, Rsvp, Screening
    from contrechamp.films.models import Film
    from contrechamp.networks.models import Network
    from contrechamp.venues.models import Venue

    rng = random.Random(seed)
    started = time.monotonic()
    networks = list(
        Network.objects.filter(is_online=False).values_list(
            "pk", "city_name", "latitude", "longitude"
        )
    )
    venues = []
    for i, (_network_id, city, lat, lon) in enumerate(networks):
        name = f"Salle des fêtes {i}"
        venues.append(
            Venue(
                name=name,
                dedupe_key=places.normalise(f"{name} {city}"),
                name_normalised=places.normalise(name),
                kind=Venue.Kind.TOWN_HALL_ROOM if i % 3 else Venue.Kind.INDEPENDENT_CINEMA,
                city_name=city,
                latitude=lat or 0.0,  # networks that are not online have a place
                longitude=lon or 0.0,
                capacity=rng.choice([40, 80, 120, 300]),
            )
        )
    with transaction.atomic():
        Venue.objects.bulk_create(venues, batch_size=BATCH)
    venue_by_city = dict(Venue.objects.values_list("city_name", "pk"))
    films = list(Film.objects.values_list("pk", flat=True))
    now = timezone.now().replace(minute=30, second=0, microsecond=0)
    series_rows = [
        EventSeries(
            network_id=network_id,
            rule="FREQ=MONTHLY;BYDAY=1TH;COUNT=24",
            time_zone="Europe/Paris",
            first_starts_at=now - timedelta(days=365),
        )
        for network_id, *_ in networks[: events // 240]
    ]
    with transaction.atomic():
        EventSeries.objects.bulk_create(series_rows, batch_size=BATCH)
    series = list(EventSeries.objects.values_list("pk", "network_id"))
    rows = []
    for i in range(events):
        starts = now + timedelta(hours=rng.randint(-365 * 24, 365 * 24))
        fields: dict[str, Any] = {}
        if i % 10 == 0 and series:
            series_id, network_id = series[i // 10 % len(series)]
            fields = {"series_id": series_id, "recurrence_id": starts + timedelta(seconds=i)}
            city, lat, lon = next((n[1], n[2], n[3]) for n in networks if n[0] == network_id)
        else:
            network_id, city, lat, lon = rng.choice(networks)
        rows.append(
            Event(
                network_id=network_id,
                kind=rng.choice(Event.Kind.values),
                title=f"{rng.choice(TITLES)} #{i}",
                description="Projection suivie d'une discussion.",
                venue_id=venue_by_city[city],
                latitude=lat,
                longitude=lon,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                time_zone="Europe/Paris",
                visibility=Event.Visibility.MEMBERS if i % 5 == 0 else Event.Visibility.PUBLIC,
                status=Event.Status.CANCELLED if i % 50 == 0 else Event.Status.PUBLISHED,
                capacity=rng.choice([None, 50, 80, 200, 5000]),
                published_at=starts - timedelta(days=30),
                **fields,
            )
        )
    with transaction.atomic():
        Event.objects.bulk_create(rows, batch_size=BATCH)
    event_ids = list(Event.objects.values_list("pk", flat=True))
    screenings = [
        Screening(
            event_id=event_id,
            film_id=rng.choice(films),
            rights_status=rng.choice(Screening.RightsStatus.values),
        )
        for event_id in event_ids
    ]
    with transaction.atomic():
        Screening.objects.bulk_create(screenings, batch_size=BATCH)
    print(f"{events:,} events in {time.monotonic() - started:.1f}s", file=sys.stderr)

    members = list(User.objects.filter(username__startswith="bench-").values_list("pk", flat=True))
    # One event has a crowd (the page must not care); the rest share the other RSVPs.
    crowd_event = event_ids[0]
    crowd = min(len(members), 5000)
    per_event = max(1, (rsvps - crowd) // max(1, len(event_ids) - 1))
    statuses = [Rsvp.Status.GOING] * 6 + [Rsvp.Status.MAYBE] * 2 + [Rsvp.Status.CANCELLED]
    batch: list[Rsvp] = []
    written = 0

    def flush() -> None:
        nonlocal batch, written
        with transaction.atomic():
            Rsvp.objects.bulk_create(batch, batch_size=BATCH)
        written += len(batch)
        batch = []

    for event_id in event_ids:
        count = crowd if event_id == crowd_event else per_event
        for member_id in rng.sample(members, min(count, len(members))):
            batch.append(
                Rsvp(
                    event_id=event_id,
                    member_id=member_id,
                    status=rng.choice(statuses),
                    created_at=now,
                    updated_at=now,
                )
            )
            if len(batch) == BATCH * 10:
                flush()
    flush()
    print(f"{written:,} RSVPs in {time.monotonic() - started:.1f}s", file=sys.stderr)


def pages(event_id: int, crowd_id: int, venue_id: int) -> dict[str, str]:
    return {
        "agenda, upcoming": "/events/",
        "agenda near Lyon (30 km)": "/events/?near=Lyon&km=30",
        "agenda near Paris (30 km), page 2": "/events/?near=Paris&km=30&page=2",
        "agenda search by title": "/events/?q=marathon",
        "network calendar": "/networks/bench-0/events/",
        "event page (typical)": f"/events/{event_id}/",
        "event page (5,000 RSVPs)": f"/events/{crowd_id}/",
        "event .ics": f"/events/{event_id}/ics",
        "network .ics": "/networks/bench-0/events.ics",
        "venues near Lyon (30 km)": "/venues/?near=Lyon&km=30",
        "venue page": f"/venues/{venue_id}/",
    }


def measure(requests: int) -> dict[str, dict[str, float]]:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from contrechamp.accounts.models import User
    from contrechamp.events.models import Event
    from contrechamp.venues.models import Venue

    visitor = User.objects.get(username="bench-1")
    public = Event.objects.filter(
        visibility=Event.Visibility.PUBLIC,
        status=Event.Status.PUBLISHED,
        starts_at__gte=timezone.now(),
    )
    typical = (
        public.exclude(pk=Event.objects.order_by("pk").values("pk")[:1])
        .values_list("pk", flat=True)[:1]
        .get()
    )
    crowd = Event.objects.order_by("pk").values_list("pk", flat=True)[:1].get()
    Event.objects.filter(pk=crowd).update(
        visibility=Event.Visibility.PUBLIC, status=Event.Status.PUBLISHED
    )
    venue = Venue.objects.order_by("pk").values_list("pk", flat=True)[:1].get()
    results: dict[str, dict[str, float]] = {}
    for signed_in in (False, True):
        client = Client()
        if signed_in:
            client.force_login(visitor)
        for label, path in pages(typical, crowd, venue).items():
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
    """`writers` threads each answer "going" to `per_writer` upcoming public events; half
    of the threads aim at five events with five seats, so that waitlists and real
    contention happen (a thread answering twice for one event keeps its first answer).
    Afterwards no event may hold more "going" than its capacity."""
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count, F, Q
    from django.utils import timezone

    from contrechamp.accounts import services as accounts
    from contrechamp.accounts.models import User
    from contrechamp.core.errors import DomainError
    from contrechamp.events.models import Event, Rsvp
    from contrechamp.events.services import attendance

    upcoming = list(
        Event.objects.filter(
            visibility=Event.Visibility.PUBLIC,
            status=Event.Status.PUBLISHED,
            starts_at__gte=timezone.now() + timedelta(days=1),
            festival__isnull=True,
        ).select_related("network")[: writers * per_writer + 5]
    )
    contested = upcoming[:5]
    Rsvp.objects.filter(event__in=contested).delete()
    Event.objects.filter(pk__in=[e.pk for e in contested]).update(capacity=5)
    for event in contested:
        event.capacity = 5
    people = [  # generated members have not accepted the code of conduct yet
        accounts.accept_code_of_conduct(actor=person, member=person)
        for person in User.objects.filter(username__startswith="bench-").order_by("pk")[:writers]
    ]
    counts = {"seated": 0, "waitlisted": 0, "refused": 0, "error": 0}
    lock = threading.Lock()
    barrier = threading.Barrier(writers)

    def write(number: int) -> None:
        rng = random.Random(number)
        actor = people[number]
        barrier.wait()
        for slot in range(per_writer):
            if number % 2 == 0:
                event = rng.choice(contested)
            else:
                event = upcoming[5 + (number * per_writer + slot) % (len(upcoming) - 5)]
            try:
                answer = attendance.rsvp(actor=actor, event=event, status=Rsvp.Status.GOING)
                outcome = "seated" if answer.status == Rsvp.Status.GOING else "waitlisted"
            except DomainError:
                outcome = "refused"
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
    oversubscribed = (
        Event.objects.filter(pk__in=[e.pk for e in contested])
        .annotate(going=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING)))
        .filter(going__gt=F("capacity"))
        .count()
    )
    total = writers * per_writer
    return {
        "writers": writers,
        "attempts": total,
        "seconds": elapsed,
        "per_second": total / elapsed,
        "oversubscribed": oversubscribed,
        **counts,
    }


def run(args: argparse.Namespace, database: str) -> None:
    env = child_env(database_url(database, f"events-{args.events}"))
    python = sys.executable

    def child(*extra: str) -> str:
        result = subprocess.run(
            [python, *extra], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
        )
        return result.stdout

    child("manage.py", "migrate", "--noinput", "-v0")
    child("bench/generate.py", "--members", str(args.members), "--networks", str(args.networks))
    child(__file__, "--child", "generate", "--events", str(args.events), "--rsvps", str(args.rsvps))
    pages_out = child(__file__, "--child", "measure", "--requests", str(args.requests))
    rsvp_out = child(
        __file__,
        "--child",
        "throughput",
        "--writers",
        str(args.writers),
        "--per-writer",
        str(args.per_writer),
    )
    results = json.loads(pages_out.strip().splitlines()[-1])
    rate = json.loads(rsvp_out.strip().splitlines()[-1])
    print(
        f"\n{database}: {args.events:,} events, {args.rsvps:,} RSVPs, "
        f"{args.members:,} members, {args.requests} requests each"
    )
    print(f"{'page':<58} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, figures in results.items():
        print(
            f"{label:<58} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f}"
            f" {int(figures['queries']):>8}"
        )
    print(
        f"RSVPs: {rate['writers']} writers, {rate['attempts']} attempts in "
        f"{rate['seconds']:.1f}s = {rate['per_second']:.0f}/s; seated {rate['seated']}, "
        f"waitlisted {rate['waitlisted']}, refused {rate['refused']}, errors {rate['error']}, "
        f"oversubscribed events {rate['oversubscribed']}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--rsvps", type=int, default=2_000_000)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--networks", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--per-writer", type=int, default=25)
    parser.add_argument("--child", choices=["generate", "measure", "throughput"])
    args = parser.parse_args()
    if args.child == "generate":
        generate(args.events, args.rsvps)
    elif args.child == "measure":
        print(json.dumps(measure(args.requests)))
    elif args.child == "throughput":
        print(json.dumps(throughput(args.writers, args.per_writer)))
    else:
        for database in ("sqlite", "postgres") if args.database == "both" else (args.database,):
            run(args, database)
