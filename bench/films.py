"""Films at scale: catalogue pages, search, and discovery (quality and recomputation time).

    python bench/films.py evaluate                       # offline evaluation, no database
    python bench/films.py measure --database sqlite      # 100,000 films, 1,000,000 ratings
    python bench/films.py measure --database postgres --films 10000 --ratings 100000

`evaluate` builds a synthetic community whose tastes fall into clusters, with a long tail
of popularity (a few films everyone rates, most films rated by few), holds out one liked
film per member, and compares, with the very functions the site runs
(`films.discovery.neighbours_from_likes` / `rank_suggestions`): item-to-item filtering
with and without the popularity penalty, and the most-popular baseline, on hit rate@10
(the held-out film is among the ten suggestions) and catalogue coverage (the share of
films that appear in someone's suggestions).

`measure` fills a dedicated database (SQLite: var/bench/films-….sqlite3; PostgreSQL:
`contrechamp_bench_films_…` on BENCH_POSTGRES_URL) with films, members and ratings drawn
the same way, then requests the film page, the catalogue search and the discovery page
through Django's whole stack (test client), and times the neighbour table's full
recomputation with its peak memory (in a child process).
"""

import argparse
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from itertools import accumulate
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import child_env, database_url  # noqa: E402

CLUSTERS = 60
PENALTIES = (0.0, 0.25, 0.5)
WORDS = (  # noqa: SIM905 - a sentence of title words reads better than a list
    "nuit jour enfants paradis ombre lumière fleuve ville amour guerre mer soleil train "
    "femme homme route silence voyage dernier premier rouge noir blanc chemin été hiver "
    "jardin maison mémoire promesse secret retour départ frontière île forêt cœur"
).split()


def community(films: int, members: int, ratings: int, seed: int = 7) -> list[list[tuple[int, int]]]:
    """Each member's (film index, half stars): clustered tastes, Zipf-like popularity."""
    rng = random.Random(seed)
    cluster_of = [rng.randrange(CLUSTERS) for _ in range(films)]
    weight = [1 / (rank + 1) ** 0.9 for rank in range(films)]  # film 0 is the most popular
    by_cluster: dict[int, list[int]] = defaultdict(list)
    for film, cluster in enumerate(cluster_of):
        by_cluster[cluster].append(film)
    # Cumulative weights: each draw is a bisection, not a pass over the whole catalogue.
    cluster_weights = {c: list(accumulate(weight[f] for f in fs)) for c, fs in by_cluster.items()}
    all_films = range(films)
    all_weights = list(accumulate(weight))
    per_member = max(ratings // members, 2)
    people: list[list[tuple[int, int]]] = []
    for _ in range(members):
        tastes = rng.sample(range(CLUSTERS), 2)
        count = max(2, int(rng.expovariate(1 / per_member)))
        seen: dict[int, int] = {}
        for _ in range(count):
            if rng.random() < 0.6:
                cluster = rng.choice(tastes)
                film = rng.choices(by_cluster[cluster], cum_weights=cluster_weights[cluster])[0]
            else:
                film = rng.choices(all_films, cum_weights=all_weights)[0]
            liked = cluster_of[film] in tastes
            seen[film] = rng.choice((7, 8, 9, 10)) if liked else rng.choice((2, 4, 5, 6, 7))
        people.append(list(seen.items()))
    return people


def evaluate(films: int, members: int, ratings: int) -> dict[str, dict[str, float]]:
    from contrechamp.films import discovery

    rng = random.Random(11)
    people = community(films, members, ratings)
    train_likes: dict[int, list[int]] = {}
    train_seen: dict[int, set[int]] = {}
    held_out: dict[int, int] = {}
    for member, rated in enumerate(people):
        liked = [film for film, half in rated if half >= discovery.LIKED_HALF_STARS]
        if len(liked) >= 3:
            held_out[member] = rng.choice(liked)
        train_likes[member] = [f for f in liked if f != held_out.get(member)]
        train_seen[member] = {f for f, _ in rated if f != held_out.get(member)}
    started = time.perf_counter()
    neighbours = discovery.neighbours_from_likes(train_likes)
    build_seconds = time.perf_counter() - started
    popularity = Counter(f for liked in train_likes.values() for f in liked)
    most_popular = [film for film, _ in popularity.most_common()]
    results: dict[str, dict[str, float]] = {}
    for penalty in PENALTIES:
        label = f"item-to-item, popularity penalty {penalty:g}"
        hits, shown = 0, set()
        for member, target in held_out.items():
            ranked = discovery.rank_suggestions(
                liked=train_likes[member],
                seen=train_seen[member],
                neighbours=neighbours,
                popularity=popularity,
                limit=10,
                penalty=penalty,
            )
            ids = [s.film_id for s in ranked]
            hits += target in ids
            shown.update(ids)
        results[label] = {"hit_rate_at_10": hits / len(held_out), "coverage": len(shown) / films}
    hits, shown = 0, set()
    for member, target in held_out.items():
        ids = [f for f in most_popular if f not in train_seen[member]][:10]
        hits += target in ids
        shown.update(ids)
    results["most popular (baseline)"] = {
        "hit_rate_at_10": hits / len(held_out),
        "coverage": len(shown) / films,
    }
    results["_setup"] = {
        "members_evaluated": len(held_out),
        "neighbour_build_seconds": build_seconds,
    }
    return results


# -- Measuring the site --------------------------------------------------------------


def generate(films: int, ratings: int) -> None:
    """Fill the database once (skipped when it already holds the films)."""
    from django.db import transaction

    from contrechamp.accounts.models import User
    from contrechamp.core.places import normalise
    from contrechamp.films import search
    from contrechamp.films.models import Film, Rating, join_codes

    if Film.objects.count() >= films:
        return
    rng = random.Random(3)
    members = max(ratings // 10, 10)
    people = community(films, members, ratings)
    genres = ["drama", "comedy", "noir", "documentary", "western", "romance", "animation"]
    with transaction.atomic():
        rows = []
        for n in range(films):
            title = " ".join(rng.sample(WORDS, rng.randint(2, 4))).capitalize()
            if n == 0:
                title = "Les Enfants du paradis"
            rows.append(
                Film(
                    title=title,
                    title_normalised=normalise(title),
                    year=1900 + n % 125,
                    countries=join_codes([rng.choice(["FR", "IT", "JP", "US", "DE"])]),
                    genres=join_codes([rng.choice(genres)]),
                    search_text=search.document(title, f"Réalisatrice {n % 5000}"),
                )
            )
        created = Film.objects.bulk_create(rows, batch_size=5000)
        search.store_films(created)
        users = User.objects.bulk_create(
            [
                User(username=f"films-bench-{n}", email=f"films-bench-{n}@example.org")
                for n in range(members)
            ],
            batch_size=5000,
        )
        batch: list[Rating] = []
        for user, rated in zip(users, people, strict=True):
            batch.extend(
                Rating(user_id=user.pk, film_id=created[film].pk, half_stars=half)
                for film, half in rated
            )
            if len(batch) >= 20000:
                Rating.objects.bulk_create(batch)
                batch = []
        Rating.objects.bulk_create(batch)


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def measure_pages(requests: int) -> dict[str, dict[str, float]]:
    from django.db import connection
    from django.test import Client

    from contrechamp.accounts.models import User
    from contrechamp.films import discovery
    from contrechamp.films.models import Film, Rating

    started = time.perf_counter()
    pairs = discovery.recompute_neighbours()
    recompute = time.perf_counter() - started
    film = Film.objects.order_by("pk").first()
    member = User.objects.filter(film_ratings__half_stars__gte=7).order_by("pk").first()
    assert film is not None and member is not None
    client = Client()
    client.force_login(member)
    paths = {
        "film page": film.get_absolute_url(),
        "catalogue search ?q=enfants paradis": "/films/?q=enfants+paradis",
        "catalogue search ?q=nuit (many matches)": "/films/?q=nuit",
        "catalogue, genre and decade filters": "/films/?genre=noir&decade=1950",
        "discover": "/discover/",
    }
    results: dict[str, dict[str, float]] = {
        "_recompute": {
            "seconds": recompute,
            "pairs": pairs,
            "ratings": Rating.objects.count(),
            "films": Film.objects.count(),
        }
    }
    for label, path in paths.items():
        for _ in range(5):
            assert client.get(path).status_code == 200, path
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            client.get(path)
        timings = []
        for _ in range(requests):
            begun = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - begun) * 1000)
        timings.sort()
        results[label] = {
            "p50_ms": statistics.median(timings),
            "p95_ms": timings[math.ceil(len(timings) * 0.95) - 1],
            "queries": queries.count,
        }
    results["_recompute"]["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return results


def run_measure(database: str, films: int, ratings: int, requests: int) -> None:
    env = child_env(database_url(database, f"films-{films}-{ratings}"))
    python = sys.executable
    # Everything on a fresh database; on a reused one another app's bench may have left a
    # schema its migrations no longer describe, so the films app's own step decides.
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env)
    subprocess.run(
        [python, "manage.py", "migrate", "films", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    output = subprocess.run(
        [
            python,
            __file__,
            "child",
            "--films",
            str(films),
            "--ratings",
            str(ratings),
            "--requests",
            str(requests),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    results = json.loads(output.strip().splitlines()[-1])
    setup = results.pop("_recompute")
    print(
        f"\n{database}: {setup['films']:,} films, {setup['ratings']:,} ratings, {requests} requests"
    )
    print(
        f"discovery recomputation: {setup['seconds']:.1f} s, {setup['pairs']:,} neighbour pairs, "
        f"peak RSS {setup['peak_rss_mb']:.0f} MB"
    )
    print(f"{'page':<44} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, figures in results.items():
        p50, p95, count = figures["p50_ms"], figures["p95_ms"], int(figures["queries"])
        print(f"{label:<44} {p50:>8.1f} {p95:>8.1f} {count:>8}")


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contrechamp.settings")
    os.environ.setdefault("CONTRECHAMP_DEBUG", "1")
    import django

    django.setup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", choices=["evaluate", "measure", "child"])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--films", type=int, default=100_000)
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    if args.mode == "evaluate":
        _setup_django()
        figures = evaluate(args.films, args.members, args.ratings)
        setup = figures.pop("_setup")
        print(
            f"{args.films:,} films, {args.members:,} members, {args.ratings:,} ratings; "
            f"{int(setup['members_evaluated']):,} members with a held-out like; "
            f"neighbours built in {setup['neighbour_build_seconds']:.1f} s"
        )
        print(f"{'method':<40} {'hit rate@10':>12} {'coverage':>10}")
        for label, values in figures.items():
            print(f"{label:<40} {values['hit_rate_at_10']:>12.3f} {values['coverage']:>10.3f}")
    elif args.mode == "child":
        _setup_django()
        generate(args.films, args.ratings)
        print(json.dumps(measure_pages(args.requests)))
    else:
        for database in ["sqlite", "postgres"] if args.database == "both" else [args.database]:
            run_measure(database, args.films, args.ratings, args.requests)
