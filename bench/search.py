"""The one search over every kind, at scale: latency, queries per request, rebuild time.

    python bench/search.py                          # SQLite and PostgreSQL, ~370,000 documents
    python bench/search.py --database sqlite --films 10000 --events 5000 --items 20000

For each database the script builds (once) its own data set: members and networks with
bench/generate.py; the shipped catalogue (861 films, Le Voyage dans la Lune among them)
and `--films` films of random French title words with their directors; venues, events and
RSVPs with bench/events.py's generator; library items with bench/lending.py's; then one
upcoming public screening of Le Voyage dans la Lune at the "Cinéma Le Club" and a DVD of
it. It then times `rebuild_search_index` over all of it, and requests the search page and
the suggestions through Django's full request handling (middleware, templates, ORM; no
network), signed out and signed in, printing p50/p95 latency and SQL queries per request,
and the p95 over every request of the run. Common words are on purpose: "cine club" is in
every network's name and every event's text, "vertigo" in 20,000 items.
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

from bench.run import QueryCounter, child_env, database_url  # noqa: E402

BATCH = 5000
# The catalogue bench's vocabulary: each word is in about one title in twelve.
WORDS = (  # noqa: SIM905 - a sentence of title words reads better than a list
    "nuit jour enfants paradis ombre lumière fleuve ville amour guerre mer soleil train "
    "femme homme route silence voyage dernier premier rouge noir blanc chemin été hiver "
    "jardin maison mémoire promesse secret retour départ frontière île forêt cœur"
).split()
DIRECTORS = 5000

SEARCHES = {
    "voyage lune (film, screening, DVD)": "/search/?q=voyage+lune",
    "enfants paradis": "/search/?q=enfants+paradis",
    "nuit (8,000 films)": "/search/?q=nuit",
    "vertigo (20,000 items, 4,000 events)": "/search/?q=vertigo",
    "cine club (every network and event)": "/search/?q=cine+club",
    "cin (a prefix while typing)": "/search/?q=cin",
    "grenoble (a town)": "/search/?q=grenoble",
    "zzzqqq (nothing; typo fallback)": "/search/?q=zzzqqq",
    "vertigo, items, page 3": "/search/?q=vertigo&kind=items&page=3",
    "suggestions: vert": "/search/suggest/?q=vert",
    "suggestions: voyage lu": "/search/suggest/?q=voyage+lu",
}


def generate(films: int, events: int, items: int) -> None:
    """Runs inside a child process, with DATABASE_URL set and members already there."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import events as events_bench
    from bench import lending as lending_bench
    from contrechamp.events.models import Event
    from contrechamp.lending.models import Item
    from contrechamp.search.models import Document

    if not Event.objects.exists():
        call_command("load_catalogue", verbosity=0)
        _films(films)
        events_bench._bulk_load(events, events, seed=11)
    if not Item.objects.exists():
        lending_bench._bulk_load(items, 0, seed=7)
        _voyage_dans_la_lune()
    if not Document.objects.filter(kind="items").exists():
        started = time.monotonic()
        call_command("rebuild_search_index", verbosity=0)
        elapsed = time.monotonic() - started
        print(f"rebuild_search_index: {Document.objects.count():,} documents in {elapsed:.0f}s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _films(count: int) -> None:
    from django.db import transaction

    from contrechamp.core.places import normalise
    from contrechamp.films.models import Credit, Film, Person

    rng = random.Random(3)
    started = time.monotonic()
    with transaction.atomic():
        people = Person.objects.bulk_create(
            [
                Person(name=f"Réalisatrice {n}", name_normalised=f"realisatrice {n}")
                for n in range(DIRECTORS)
            ],
            batch_size=BATCH,
        )
        titles = [" ".join(rng.sample(WORDS, rng.randint(2, 4))).capitalize() for _ in range(count)]
        created = Film.objects.bulk_create(
            [
                Film(title=title, title_normalised=normalise(title), year=1900 + n % 125)
                for n, title in enumerate(titles)
            ],
            batch_size=BATCH,
        )
        Credit.objects.bulk_create(
            [
                Credit(film=film, person=people[n % DIRECTORS], role=Credit.Role.DIRECTOR)
                for n, film in enumerate(created)
            ],
            batch_size=BATCH,
        )
    print(f"{count:,} films in {time.monotonic() - started:.1f}s", file=sys.stderr)


def _voyage_dans_la_lune() -> None:
    """Next week's screening of the film at the Cinéma Le Club, and a DVD of it."""
    from django.utils import timezone

    from contrechamp.core import places
    from contrechamp.events.models import Event, Screening
    from contrechamp.films.models import Film
    from contrechamp.lending.models import Item
    from contrechamp.networks.models import Network
    from contrechamp.venues.models import Venue

    film = Film.objects.get(title="Le Voyage dans la Lune")
    network = Network.objects.filter(is_online=False).order_by("pk").first()
    assert network is not None
    grenoble = places.find_city("Grenoble")
    assert grenoble is not None
    venue = Venue.objects.create(
        name="Cinéma Le Club",
        name_normalised="cinema le club",
        dedupe_key="cinema le club grenoble",
        kind=Venue.Kind.INDEPENDENT_CINEMA,
        city_name="Grenoble",
        latitude=grenoble.latitude,
        longitude=grenoble.longitude,
    )
    starts_at = timezone.now() + timedelta(days=7)
    event = Event.objects.create(
        network=network,
        kind=Event.Kind.SCREENING,
        title="Ciné-concert Méliès",
        venue=venue,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        status=Event.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    Screening.objects.create(event=event, film=film)
    Item.objects.create(
        owner_network=network,
        kind=Item.Kind.DVD,
        title="Le Voyage dans la Lune, version restaurée",
        film=film,
        city_name="Grenoble",
        latitude=grenoble.latitude,
        longitude=grenoble.longitude,
    )


def measure(requests: int) -> dict[str, dict[str, float]]:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from contrechamp.accounts.models import User

    visitor = User.objects.get(username="bench-1")
    results: dict[str, dict[str, float]] = {}
    every: list[float] = []
    for signed_in in (False, True):
        client = Client()
        if signed_in:
            client.force_login(visitor)
        for label, path in SEARCHES.items():
            headers = {"HX-Request": "true"} if "suggest" in path else {}
            for _ in range(5):  # warm caches: templates, database pages
                response = client.get(path, headers=headers)
                assert response.status_code == 200, (path, response.status_code)
            queries = QueryCounter()
            with connection.execute_wrapper(queries):
                client.get(path, headers=headers)
            timings = []
            for _ in range(requests):
                started = time.perf_counter()
                client.get(path, headers=headers)
                timings.append((time.perf_counter() - started) * 1000)
            every += timings
            timings.sort()
            key = f"{label} ({'member' if signed_in else 'anonymous'})"
            results[key] = {
                "p50_ms": statistics.median(timings),
                "p95_ms": timings[int(len(timings) * 0.95) - 1],
                "queries": queries.count,
            }
    every.sort()
    results["every search of this run"] = {
        "p50_ms": statistics.median(every),
        "p95_ms": every[int(len(every) * 0.95) - 1],
        "queries": 0,
    }
    return results


def run(args: argparse.Namespace, database: str) -> None:
    size = f"{args.films}-{args.events}-{args.items}"
    env = child_env(database_url(database, f"search-{size}"))
    python = sys.executable

    def child(*extra: str) -> str:
        result = subprocess.run(
            [python, *extra], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
        )
        return result.stdout

    child("manage.py", "migrate", "--noinput", "-v0")
    child("bench/generate.py", "--members", str(args.members), "--networks", str(args.networks))
    generated = child(
        __file__,
        "--child",
        "generate",
        "--films",
        str(args.films),
        "--events",
        str(args.events),
        "--items",
        str(args.items),
    )
    out = child(__file__, "--child", "measure", "--requests", str(args.requests))
    results = json.loads(out.strip().splitlines()[-1])
    print(
        f"\n{database}: {args.films:,} films, {args.events:,} events, {args.items:,} items, "
        f"{args.networks:,} networks, {args.requests} requests each"
    )
    for line in generated.splitlines():
        if line.startswith("rebuild_search_index"):
            print(line)
    print(f"{'search':<58} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, figures in results.items():
        print(
            f"{label:<58} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f}"
            f" {int(figures['queries']):>8}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--films", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--networks", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--child", choices=["generate", "measure"])
    args = parser.parse_args()
    if args.child == "generate":
        generate(args.films, args.events, args.items)
    elif args.child == "measure":
        print(json.dumps(measure(args.requests)))
    else:
        for database in ("sqlite", "postgres") if args.database == "both" else (args.database,):
            run(args, database)
