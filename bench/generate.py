"""Fill the configured database with a federation-sized data set.

    DATABASE_URL=… python bench/generate.py --members 100000 --networks 5000

Rows are written with bulk_create in batches (no per-row services: this is volume, not
behaviour). Cities are drawn from the offline gazetteer, weighted by population, so that
"near Grenoble" finds a realistic number of clubs. Deterministic for a given seed.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contrechamp.settings")
os.environ.setdefault("CONTRECHAMP_DEBUG", "1")

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from contrechamp.accounts.models import Skill, User  # noqa: E402
from contrechamp.core import places  # noqa: E402
from contrechamp.networks.models import (  # noqa: E402
    CharterAcceptance,
    CharterVersion,
    Membership,
    Network,
    Role,
    RoleAssignment,
)

BATCH = 2000
BENCH_PREFIX = "bench-"


def _cities(rng: random.Random, count: int) -> list[places.Place]:
    pool = places.places_in("FR", min_population=2000)
    weights = [p.population for p in pool]
    return rng.choices(pool, weights=weights, k=count)


def generate(members: int, networks: int, seed: int = 42) -> None:
    rng = random.Random(seed)
    if User.objects.filter(username__startswith=BENCH_PREFIX).exists():
        print("bench data already present; nothing to do")
        return
    started = time.monotonic()
    password = make_password("bench-password")
    skills = list(Skill.objects.all())
    now = timezone.now()

    user_cities = _cities(rng, members)
    users = []
    for i, city in enumerate(user_cities):
        lat, lon = places.approximate(city.latitude, city.longitude)
        users.append(
            User(
                username=f"{BENCH_PREFIX}{i}",
                email=f"{BENCH_PREFIX}{i}@example.org",
                display_name=f"Membre {i}",
                password=password,
                city_name=city.name,
                latitude=lat,
                longitude=lon,
                languages=["fr"],
                bio="Cinéphile.",
            )
        )
    with transaction.atomic():
        User.objects.bulk_create(users, batch_size=BATCH)
    user_ids = list(
        User.objects.filter(username__startswith=BENCH_PREFIX).values_list("pk", flat=True)
    )
    if skills:
        through = User.skills.through
        links = [
            through(user_id=uid, skill_id=skill.pk)
            for uid in user_ids
            for skill in rng.sample(skills, k=min(2, len(skills)))
        ]
        with transaction.atomic():
            through.objects.bulk_create(links, batch_size=BATCH)
    print(f"{members} members in {time.monotonic() - started:.1f}s")

    kinds = [k for k, _ in Network.Kind.choices]
    network_rows = []
    for i, city in enumerate(_cities(rng, networks)):
        online = i % 20 == 0
        lat, lon = places.approximate(city.latitude, city.longitude)
        name = f"Ciné-club {city.name} {i}"
        network_rows.append(
            Network(
                name=name,
                name_normalised=places.normalise(name),
                slug=f"{BENCH_PREFIX}{i}",
                kind=Network.Kind.ONLINE_COMMUNITY if online else rng.choice(kinds),
                description="Projections, débats et prêts de matériel.",
                city_name="" if online else city.name,
                latitude=None if online else lat,
                longitude=None if online else lon,
                is_online=online,
                join_policy=rng.choice([p for p, _ in Network.JoinPolicy.choices]),
                created_at=now,
            )
        )
    with transaction.atomic():
        Network.objects.bulk_create(network_rows, batch_size=BATCH)
    network_ids = list(
        Network.objects.filter(slug__startswith=BENCH_PREFIX).values_list("pk", flat=True)
    )

    # Every member joins one network (two for a fifth of them); the first network is big.
    memberships: dict[tuple[int, int], Membership] = {}
    for index, uid in enumerate(user_ids):
        chosen = {network_ids[0]} if index < 2000 else set()
        chosen.add(rng.choice(network_ids))
        if index % 5 == 0:
            chosen.add(rng.choice(network_ids))
        for nid in chosen:
            memberships[(nid, uid)] = Membership(
                network_id=nid,
                user_id=uid,
                status=Membership.Status.ACTIVE,
                joined_at=now,
                created_at=now,
            )
    with transaction.atomic():
        Membership.objects.bulk_create(memberships.values(), batch_size=BATCH)

    charters = [
        CharterVersion(network_id=nid, number=1, text="Bienveillance et respect.", published_at=now)
        for nid in network_ids
    ]
    with transaction.atomic():
        CharterVersion.objects.bulk_create(charters, batch_size=BATCH)
    charter_by_network = dict(
        CharterVersion.objects.filter(network_id__in=network_ids).values_list("network_id", "pk")
    )
    for nid, charter_id in charter_by_network.items():
        Network.objects.filter(pk=nid).update(current_charter_id=charter_id)
    with transaction.atomic():
        CharterAcceptance.objects.bulk_create(
            (
                CharterAcceptance(
                    network_id=nid, user_id=uid, version_id=charter_by_network[nid], accepted_at=now
                )
                for (nid, uid) in memberships
            ),
            batch_size=BATCH,
        )

    members_by_network: dict[int, list[int]] = {}
    for nid, uid in memberships:
        members_by_network.setdefault(nid, []).append(uid)
    assignments = []
    for nid, uids in members_by_network.items():
        holders = rng.sample(uids, k=min(3, len(uids)))
        for role, uid in zip((Role.ADMIN, Role.ORGANISER, Role.MODERATOR), holders, strict=False):
            # A past holder too, so that every network page has a role history.
            assignments.append(
                RoleAssignment(
                    network_id=nid, user_id=uid, role=role, started_at=now, ended_at=None
                )
            )
            assignments.append(
                RoleAssignment(
                    network_id=nid, user_id=holders[-1], role=role, started_at=now, ended_at=now
                )
            )
    with transaction.atomic():
        RoleAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    print(
        f"{networks} networks, {len(memberships)} memberships, {len(assignments)} role rows "
        f"in {time.monotonic() - started:.1f}s"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--networks", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    generate(args.members, args.networks, args.seed)
