"""Mentor matching and the mentoring pages, among 100,000 members.

    python bench/mentoring.py                          # SQLite and PostgreSQL
    python bench/mentoring.py --database sqlite --members 20000

For each database the script builds (once) its own data set: members and networks with
bench/generate.py, then mentoring profiles (a tenth of the members mentor, one in twenty
looks for a mentor, in one to three domains, in person, online or both, in a few
languages), mentorships under way that fill part of the mentors' capacity, and offers and
requests, with bulk_create. It then measures `matching.suggest` for seekers drawn at
random (in person or both, and online only, the widest prefilter) and the pages through
Django's full request handling, and prints p50/p95 latency and SQL queries per call.
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import QueryCounter, child_env, database_url, time_page  # noqa: E402

BATCH = 5000
LANGUAGE_SETS = [["fr"], ["fr"], ["fr", "en"], ["fr", "es"], ["fr", "it"], ["en"], ["fr", "de"]]


def generate(listings: int, seed: int = 8) -> None:
    """Runs inside a child process, with DATABASE_URL set and members already there."""
    import django

    django.setup()
    from django.db import connection

    from contrechamp.mentoring.models import MentoringProfile

    if MentoringProfile.objects.exists():
        print("mentoring bench data already present", file=sys.stderr)
    else:
        _bulk_load(listings, seed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _bulk_load(listing_count: int, seed: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from contrechamp.accounts.models import Skill, User
    from contrechamp.mentoring.models import (
        AgeBracket,
        Format,
        Level,
        MentoringProfile,
        Mentorship,
        SkillListing,
    )

    rng = random.Random(seed)
    started = time.monotonic()
    now = timezone.now()
    skills = list(Skill.objects.values_list("pk", flat=True))
    members = list(
        User.objects.filter(username__startswith="bench-").values_list(
            "pk", "city_name", "latitude", "longitude"
        )
    )
    rng.shuffle(members)
    mentor_rows = members[: len(members) // 10]
    seeker_rows = members[len(members) // 10 : len(members) // 10 + len(members) // 20]
    profiles = []
    for index, (user_id, city, lat, lon) in enumerate(mentor_rows + seeker_rows):
        fmt = rng.choice([Format.IN_PERSON, Format.ONLINE, Format.BOTH, Format.BOTH])
        online_only = fmt == Format.ONLINE and index % 2 == 0
        profiles.append(
            MentoringProfile(
                user_id=user_id,
                capacity=rng.randint(1, 4),
                accepting=rng.random() < 0.9,
                availability="Deux soirs par mois",
                format=fmt,
                languages=rng.choice(LANGUAGE_SETS),
                city_name="" if online_only else city,
                latitude=None if online_only else lat,
                longitude=None if online_only else lon,
                age_bracket=rng.choice(["", *AgeBracket.values]),
                match_by_age=rng.random() < 0.3,
                created_at=now,
                updated_at=now - timedelta(minutes=rng.randint(0, 500_000)),
            )
        )
    with transaction.atomic():
        MentoringProfile.objects.bulk_create(profiles, batch_size=BATCH)
    profile_ids = dict(MentoringProfile.objects.values_list("user_id", "pk"))
    mentor_ids = [row[0] for row in mentor_rows]
    seeker_ids = [row[0] for row in seeker_rows]
    mentor_links = MentoringProfile.mentor_skills.through
    learner_links = MentoringProfile.learning_skills.through
    with transaction.atomic():
        mentor_links.objects.bulk_create(
            (
                mentor_links(mentoringprofile_id=profile_ids[uid], skill_id=skill_id)
                for uid in mentor_ids
                for skill_id in rng.sample(skills, k=rng.randint(1, 3))
            ),
            batch_size=BATCH,
        )
        learner_links.objects.bulk_create(
            (
                learner_links(mentoringprofile_id=profile_ids[uid], skill_id=skill_id)
                for uid in seeker_ids
                for skill_id in rng.sample(skills, k=rng.randint(1, 2))
            ),
            batch_size=BATCH,
        )
    User.objects.filter(pk__in=mentor_ids).update(offers_mentoring=True)
    User.objects.filter(pk__in=seeker_ids).update(seeks_mentoring=True)
    print(f"{len(profiles):,} profiles in {time.monotonic() - started:.1f}s", file=sys.stderr)

    mentorships = []
    pairs: set[tuple[int, int]] = set()
    skill_of = dict(mentor_links.objects.values_list("mentoringprofile_id", "skill_id"))
    for uid in mentor_ids[: len(mentor_ids) * 2 // 5]:
        for _ in range(rng.randint(1, 2)):
            mentee = rng.choice(members)[0]
            if mentee == uid or (uid, mentee) in pairs:
                continue
            pairs.add((uid, mentee))
            mentorships.append(
                Mentorship(
                    mentor_id=uid,
                    mentee_id=mentee,
                    skill_id=skill_of[profile_ids[uid]],
                    status=Mentorship.Status.ACTIVE,
                    started_at=now,
                    answered_at=now,
                    check_in_due_at=now,
                    created_at=now,
                    updated_at=now,
                )
            )
    with transaction.atomic():
        Mentorship.objects.bulk_create(mentorships, batch_size=BATCH)

    rows = []
    for i in range(listing_count):
        user_id, city, lat, lon = rng.choice(members)
        online = i % 4 == 0
        rows.append(
            SkillListing(
                kind=SkillListing.Kind.OFFER if i % 3 else SkillListing.Kind.REQUEST,
                author_id=user_id,
                skill_id=rng.choice(skills),
                title=f"Initiation {i}",
                description="Deux séances, pour débuter.",
                level=rng.choice(Level.values),
                format=Format.ONLINE if online else rng.choice([Format.IN_PERSON, Format.BOTH]),
                city_name="" if online else city,
                latitude=None if online else lat,
                longitude=None if online else lon,
                status=SkillListing.Status.CLOSED if i % 10 == 0 else SkillListing.Status.OPEN,
                created_at=now - timedelta(minutes=i),
                updated_at=now,
            )
        )
    with transaction.atomic():
        SkillListing.objects.bulk_create(rows, batch_size=BATCH)
    print(
        f"{len(mentorships):,} mentorships, {listing_count:,} offers and requests "
        f"in {time.monotonic() - started:.1f}s",
        file=sys.stderr,
    )


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

    from contrechamp.mentoring import matching
    from contrechamp.mentoring.models import Format, MentoringProfile

    rng = random.Random(3)
    results: dict[str, dict[str, float]] = {}
    seekers = list(
        MentoringProfile.objects.filter(user__seeks_mentoring=True, learning_skills__isnull=False)
        .select_related("user")
        .prefetch_related("learning_skills")
        .distinct()
        .order_by("pk")[:2000]
    )
    for label, fmt in (
        ("matching, in person or online", Format.BOTH),
        ("matching, online only (widest prefilter)", Format.ONLINE),
        ("matching, by age bracket", "age"),
    ):
        needs = []
        for profile in rng.sample(seekers, min(calls, len(seekers))):
            need = matching.need_of_member(profile.user, profile)
            if fmt == "age":
                need = replace(need, age_bracket="60_plus")
            else:
                need = replace(need, format=fmt)
            needs.append(need)
        for need in needs[:5]:
            matching.suggest(need)
        queries = QueryCounter()
        found = 0
        with connection.execute_wrapper(queries):
            found = len(matching.suggest(needs[0]))
        timings = []
        for need in needs:
            started = time.perf_counter()
            matching.suggest(need)
            timings.append((time.perf_counter() - started) * 1000)
        results[label] = {**_percentiles(timings), "queries": queries.count, "found": found}

    visitor = seekers[0].user
    client = Client()
    client.force_login(visitor)
    pages = {
        "mentoring home (member who seeks)": "/mentoring/",
        "offers near Lyon (30 km)": "/mentoring/offers/?near=Lyon&km=30",
        "offers in one domain": "/mentoring/offers/?skill=projection",
        "requests online": "/mentoring/requests/?online=1",
        "mentors near Paris (30 km)": "/mentoring/mentors/?near=Paris&km=30",
        "mentors in one domain, online": "/mentoring/mentors/?skill=editing&online=1",
        "mentors by age bracket": "/mentoring/mentors/?age=60_plus",
    }
    for label, path in pages.items():
        results[label] = time_page(client, path, requests)
    return results


def run(args: argparse.Namespace, database: str) -> None:
    env = child_env(database_url(database, f"mentoring-{args.members}"))
    python = sys.executable

    def child(*extra: str) -> str:
        result = subprocess.run(
            [python, *extra], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
        )
        return result.stdout

    child("manage.py", "migrate", "--noinput", "-v0")
    child("bench/generate.py", "--members", str(args.members), "--networks", str(args.networks))
    child(__file__, "--child", "generate", "--listings", str(args.listings))
    out = child(
        __file__, "--child", "measure", "--calls", str(args.calls), "--requests", str(args.requests)
    )
    results = json.loads(out.strip().splitlines()[-1])
    print(
        f"\n{database}: {args.members:,} members (a tenth mentor), {args.listings:,} offers "
        f"and requests; {args.calls} matchings, {args.requests} requests per page"
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
    parser.add_argument("--listings", type=int, default=20_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--child", choices=["generate", "measure"])
    args = parser.parse_args()
    if args.child == "generate":
        generate(args.listings)
    elif args.child == "measure":
        print(json.dumps(measure(args.calls, args.requests)))
    else:
        for database in ("sqlite", "postgres") if args.database == "both" else (args.database,):
            run(args, database)
