"""The guide pages among many guides, versions and networks.

    python bench/guides.py                                   # SQLite and PostgreSQL
    python bench/guides.py --database sqlite --guides 5000

For each database the script builds (once) its own data set: members and networks with
bench/generate.py, then guides owned by members or networks (a third public, the others
shared with one to three networks), each with a few versions and tags, with bulk_create.
It then measures the pages through Django's full request handling for a member of a few
networks, and prints p50/p95 latency and SQL queries per request.
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

from bench.run import child_env, database_url, time_page  # noqa: E402

BATCH = 5000
TAGS = ["16 mm", "35 mm", "plein air", "droits", "projecteur", "son", "affiche", "câblage"]
WORDS = ["projection", "bobine", "lampe", "écran", "mairie", "distributeur", "câble", "son"]


def generate(guide_count: int, seed: int = 11) -> None:
    """Runs inside a child process, with DATABASE_URL set and members already there."""
    import django

    django.setup()
    from django.db import connection

    from contrechamp.guides.models import Guide

    if Guide.objects.exists():
        print("guides bench data already present", file=sys.stderr)
    else:
        _bulk_load(guide_count, seed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _bulk_load(guide_count: int, seed: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from contrechamp.accounts.models import User
    from contrechamp.guides.models import Guide, GuideTag, GuideVersion
    from contrechamp.networks.models import Network

    rng = random.Random(seed)
    started = time.monotonic()
    now = timezone.now()
    members = list(User.objects.filter(username__startswith="bench-").values_list("pk", flat=True))
    networks = list(Network.objects.values_list("pk", flat=True))
    tags = GuideTag.objects.bulk_create([GuideTag(name=name) for name in TAGS])
    guides = []
    for index in range(guide_count):
        by_network = index % 2 == 0
        words = " ".join(rng.sample(WORDS, 4))
        guides.append(
            Guide(
                kind=rng.choice(Guide.Kind.values),
                title=f"Fiche {index} : {words}",
                summary=f"Ce qu'il faut savoir sur {words}.",
                body="\n".join(f"- {rng.choice(WORDS)} {line}" for line in range(40)),
                owner_user_id=None if by_network else rng.choice(members),
                owner_network_id=rng.choice(networks) if by_network else None,
                is_public=index % 3 == 0,
                version=3,
                created_by_id=rng.choice(members),
                created_at=now - timedelta(minutes=index),
                updated_at=now - timedelta(minutes=index),
                helped_count=rng.randint(0, 20),
            )
        )
    with transaction.atomic():
        Guide.objects.bulk_create(guides, batch_size=BATCH)
    ids = list(Guide.objects.values_list("pk", "body", "title", "created_by_id"))
    tag_links = Guide.tags.through
    share_links = Guide.shared_with.through
    with transaction.atomic():
        tag_links.objects.bulk_create(
            (
                tag_links(guide_id=pk, guidetag_id=tag.pk)
                for pk, *_ in ids
                for tag in rng.sample(tags, k=rng.randint(1, 3))
            ),
            batch_size=BATCH,
        )
        share_links.objects.bulk_create(
            (
                share_links(guide_id=pk, network_id=network)
                for pk, *_ in ids
                for network in rng.sample(networks, k=rng.randint(0, 3))
            ),
            batch_size=BATCH,
        )
        GuideVersion.objects.bulk_create(
            (
                GuideVersion(
                    guide_id=pk,
                    number=number,
                    kind=Guide.Kind.GUIDE,
                    title=title,
                    body=body if number == 3 else body.replace("lampe", "ampoule"),
                    author_id=author,
                    created_at=now,
                )
                for pk, body, title, author in ids
                for number in (1, 2, 3)
            ),
            batch_size=BATCH,
        )
    print(
        f"{guide_count:,} guides, {3 * guide_count:,} versions in "
        f"{time.monotonic() - started:.1f}s",
        file=sys.stderr,
    )


def _percentiles(timings: list[float]) -> dict[str, float]:
    timings.sort()
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[max(int(len(timings) * 0.95) - 1, 0)],
    }


def measure(requests: int) -> dict[str, dict[str, float]]:
    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client

    from contrechamp.accounts.models import User
    from contrechamp.guides.models import Guide
    from contrechamp.networks.models import Membership

    visitor = (
        User.objects.filter(username__startswith="bench-")
        .annotate(networks=Count("network_memberships"))
        .filter(networks__gte=1)
        .order_by("pk")
        .first()
    )
    assert visitor is not None
    network_id = (
        Membership.objects.filter(user=visitor, status="active").values_list(
            "network_id", flat=True
        )
    ).first()
    guide = Guide.objects.filter(owner_network_id=network_id).order_by("pk").first() or (
        Guide.objects.filter(is_public=True).order_by("pk").first()
    )
    assert guide is not None
    slug = guide.owner_network.slug if guide.owner_network else ""
    client = Client()
    client.force_login(visitor)
    pages = {
        "list, latest first": "/guides/",
        "list, page 20": "/guides/?page=20",
        "list, words": "/guides/?q=bobine+mairie",
        "list, kind": "/guides/?kind=checklist",
        "list, tag": "/guides/?tag=plein+air",
        "list, network": f"/guides/?network={slug}",
        "guide page": f"/guides/{guide.pk}/",
        "history": f"/guides/{guide.pk}/history/",
        "diff 1 → 3": f"/guides/{guide.pk}/diff/?from=1&to=3",
        "API list": "/api/guides?limit=20",
    }
    results: dict[str, dict[str, float]] = {}
    for label, path in pages.items():
        results[label] = time_page(client, path, requests)
    return results


def run(args: argparse.Namespace, database: str) -> None:
    env = child_env(database_url(database, f"guides-{args.guides}"))
    python = sys.executable

    def child(*extra: str) -> str:
        result = subprocess.run(
            [python, *extra], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
        )
        return result.stdout

    child("manage.py", "migrate", "--noinput", "-v0")
    child("bench/generate.py", "--members", str(args.members), "--networks", str(args.networks))
    child(__file__, "--child", "generate", "--guides", str(args.guides))
    out = child(__file__, "--child", "measure", "--requests", str(args.requests))
    results = json.loads(out.strip().splitlines()[-1])
    print(
        f"\n{database}: {args.guides:,} guides ({3 * args.guides:,} versions), "
        f"{args.members:,} members, {args.networks:,} networks; {args.requests} requests per page"
    )
    print(f"{'what':<32} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, figures in results.items():
        print(
            f"{label:<32} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f}"
            f" {int(figures['queries']):>8}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--networks", type=int, default=1_000)
    parser.add_argument("--guides", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--child", choices=["generate", "measure"])
    args = parser.parse_args()
    if args.child == "generate":
        generate(args.guides)
    elif args.child == "measure":
        print(json.dumps(measure(args.requests)))
    else:
        for database in ("sqlite", "postgres") if args.database == "both" else (args.database,):
            run(args, database)
