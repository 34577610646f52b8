"""The daily digest job for 100,000 members: total time, emails per second, queries per
email and peak memory.

    python bench/digests.py                     # SQLite and PostgreSQL, 100,000 members
    python bench/digests.py --database sqlite --members 10000

For each database the script builds (once) its own data set: members with
bench/generate.py, then, with bulk_create, a month of notifications already emailed or
read (about three per member) and the day's notifications, drawn as members live them:

- a little over half the members have 1 to 12 notifications waiting for today's digest
  (most have one to three), of a realistic mix of kinds (network newsletters, thanks for
  a recommendation, loans declined or waitlisted, comments on questions, tasks…), some
  of them already read in the app;
- one in seven turned digests off (their choices are stored, and the day's
  notifications are kept for the app only), one in ten chose emails at once (already
  sent), the others have nothing new today;
- a few of those with pending notifications closed their account, were deactivated or
  have no email address: they must receive nothing;
- the interface language is French for most, English for some, unknown for a few.

It then runs the job in a child process on production settings, exactly as the worker
does: `manage.py run_periodic_jobs` calls each registered job's `run`, here the one
named `notifications.daily_digest` (`emails.send_digests`), with the locmem email backend
(`EMAIL_URL=locmem://`). The outbox keeps no message (it counts them and their size):
kept, 55,000 messages would measure the test outbox, not the job. Before each run the
day's notifications are marked not emailed again, so the measure can be repeated; after
it, the script checks that every member due a digest got exactly one and that a second
run sends nothing.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import QueryCounter, child_env, database_url  # noqa: E402

BATCH = 5000
# (kind, weight, French title, English title): what a day's digest carries.
DIGEST_KINDS = [
    ("networks.newsletter", 30, "La lettre de {network}", "The newsletter of {network}"),
    ("films.reaction", 15, "Merci pour votre conseil : {film}", "Thanks for your tip: {film}"),
    (
        "films.recommended_to_you",
        10,
        "Nora vous recommande {film}",
        "Nora recommends {film} to you",
    ),
    ("questions.comment", 8, "Un commentaire sur votre question", "A comment on your question"),
    ("lending.loan_waitlisted", 8, "Liste d'attente : {film} (DVD)", "Waitlisted: {film} (DVD)"),
    ("questions.answer", 6, "Une réponse à votre question", "An answer to your question"),
    ("lending.loan_declined", 5, "Demande refusée : {film}", "Request declined: {film}"),
    ("lending.loan_cancelled", 5, "Demande annulée : {film}", "Request cancelled: {film}"),
    ("projects.task_assigned", 5, "Une tâche pour vous : repérages", "A task for you: scouting"),
    ("events.event_changed", 5, "Changement d'horaire : {film}", "New time: {film}"),
    ("mentoring.ended", 3, "Votre mentorat en montage prend fin", "Your editing mentorship ends"),
]
FILMS = [
    "Cléo de 5 à 7",
    "Le Mépris",
    "La Jetée",
    "Playtime",
    "Sans toit ni loi",
    "Beau travail",
    "Les Glaneurs et la Glaneuse",
    "Jeanne Dielman",
    "Stalker",
    "Chronique d'un été",
]
BODY = (
    "Prochaine séance jeudi à 20 h 30 à la salle des fêtes, suivie d'une discussion. "
    "Pensez à réserver : la salle compte 80 places. Le programme du trimestre est en ligne."
)


def generate(seed: int = 5) -> None:
    """Runs inside a child process, with DATABASE_URL set and members already there."""
    import django

    django.setup()
    from django.db import connection

    from contrechamp.notifications.models import Notification

    if Notification.objects.exists():
        print("digest bench data already present", file=sys.stderr)
    else:
        _bulk_load(seed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _bulk_load(seed: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from contrechamp.accounts.models import User
    from contrechamp.networks.models import Network
    from contrechamp.notifications import kinds
    from contrechamp.notifications.kinds import Delivery
    from contrechamp.notifications.models import MemberLanguage, Notification, Preference

    rng = random.Random(seed)
    started = time.monotonic()
    now = timezone.now()
    registered = {kind.slug for kind in kinds.all_kinds()}
    mix = [row for row in DIGEST_KINDS if row[0] in registered]
    weights = [row[1] for row in mix]
    network_names = list(Network.objects.values_list("name", flat=True)[:500]) or ["Ciné-club"]
    member_ids = list(
        User.objects.filter(username__startswith="bench-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )

    languages = []
    language_of: dict[int, str] = {}
    for member_id in member_ids:
        draw = rng.random()
        if draw < 0.05:
            continue  # never signed in since: the site's default language
        language_of[member_id] = "en" if draw < 0.2 else "fr"
        languages.append(
            MemberLanguage(user_id=member_id, language=language_of[member_id], updated_at=now)
        )
    with transaction.atomic():
        MemberLanguage.objects.bulk_create(languages, batch_size=BATCH)

    rows: list[Notification] = []
    preferences: list[Preference] = []
    written = 0
    profile = {"digest": 0, "off": 0, "immediate": 0, "quiet": 0, "none": 0}

    def flush() -> None:
        nonlocal rows, preferences, written
        with transaction.atomic():
            Notification.objects.bulk_create(rows, batch_size=BATCH)
            Preference.objects.bulk_create(preferences, batch_size=BATCH)
        written += len(rows)
        rows, preferences = [], []

    def notification(member_id: int, created_at: Any, **fields: Any) -> Notification:
        slug, _weight, french, english = rng.choices(mix, weights=weights)[0]
        title = french if language_of.get(member_id, "fr") == "fr" else english
        return Notification(
            recipient_id=member_id,
            kind=slug,
            title=title.format(network=rng.choice(network_names), film=rng.choice(FILMS)),
            body=BODY if rng.random() < 0.7 else "",
            url=f"/films/{rng.randint(1, 800)}/",
            created_at=created_at,
            **fields,
        )

    for member_id in member_ids:
        # A month of history: emailed (digest or at once) or kept for the app, most read.
        for _ in range(rng.randint(0, 6)):
            created = now - timedelta(days=rng.randint(2, 30), minutes=rng.randint(0, 1440))
            rows.append(
                notification(
                    member_id,
                    created,
                    delivery=rng.choice([Delivery.DIGEST, Delivery.IMMEDIATE, Delivery.OFF]),
                    emailed_at=created + timedelta(hours=6),
                    read_at=created + timedelta(days=1) if rng.random() < 0.8 else None,
                )
            )
        draw = rng.random()
        today = [now - timedelta(minutes=rng.randint(1, 1380)) for _ in range(_todays_count(rng))]
        if draw < 0.55:
            profile["digest"] += 1
            for created in today:
                read = created + timedelta(minutes=5) if rng.random() < 0.2 else None
                rows.append(
                    notification(member_id, created, delivery=Delivery.DIGEST, read_at=read)
                )
        elif draw < 0.69:
            profile["off"] += 1
            preferences.extend(
                Preference(user_id=member_id, kind=slug, delivery=Delivery.OFF, updated_at=now)
                for slug, *_rest in mix
            )
            rows.extend(
                notification(member_id, created, delivery=Delivery.OFF) for created in today
            )
        elif draw < 0.79:
            profile["immediate"] += 1
            preferences.extend(
                Preference(
                    user_id=member_id, kind=slug, delivery=Delivery.IMMEDIATE, updated_at=now
                )
                for slug, *_rest in rng.sample(mix, 3)
            )
            rows.extend(
                notification(
                    member_id,
                    created,
                    delivery=Delivery.IMMEDIATE,
                    emailed_at=created + timedelta(seconds=30),
                )
                for created in today
            )
        elif draw < 0.95:
            profile["quiet"] += 1  # nothing new since yesterday's digest
        else:
            profile["none"] += 1
        if len(rows) >= BATCH * 10:
            flush()
    flush()

    # Among those due a digest, a few must get nothing: account closed, deactivated, or
    # no email address (signed up through a provider that gave none).
    due = list(
        Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    excluded = rng.sample(due, k=len(due) // 100 * 3)
    third = len(excluded) // 3
    User.objects.filter(pk__in=excluded[:third]).update(deleted_at=now, is_active=False)
    User.objects.filter(pk__in=excluded[third : 2 * third]).update(is_active=False)
    User.objects.filter(pk__in=excluded[2 * third :]).update(email="")
    print(
        f"{written:,} notifications for {len(member_ids):,} members ({profile}), "
        f"{len(excluded)} of those due a digest excluded, in {time.monotonic() - started:.1f}s",
        file=sys.stderr,
    )


def _todays_count(rng: random.Random) -> int:
    """1 to 12 notifications in a day: mostly one to three, a few busy members."""
    return min(12, 1 + int(rng.expovariate(0.7)))


class CountingOutbox(list[Any]):
    """Stands for `mail.outbox`: counts the messages the locmem backend hands it, and
    their size, without keeping them."""

    def __init__(self) -> None:
        super().__init__()
        self.messages = 0
        self.body_bytes = 0
        self.recipients: set[str] = set()
        self.languages = {"fr": 0, "en": 0}

    def append(self, message: Any) -> None:
        self.messages += 1
        self.body_bytes += len(message.body.encode())
        self.recipients.update(message.to)
        self.languages["fr" if message.body.startswith("Bonjour") else "en"] += 1


def measure() -> dict[str, Any]:
    """Runs inside the child process, with DATABASE_URL and EMAIL_URL=locmem:// set."""
    import django

    django.setup()
    from django.core import mail
    from django.db import connection
    from django.db.models import Max

    from contrechamp.core import periodic
    from contrechamp.notifications import emails
    from contrechamp.notifications.kinds import Delivery
    from contrechamp.notifications.models import Notification

    # Today's notifications are due again: the run can be repeated on the same data.
    latest = Notification.objects.aggregate(latest=Max("created_at"))["latest"]
    today = Notification.objects.filter(
        delivery=Delivery.DIGEST, created_at__gt=latest - timedelta(hours=24)
    )
    today.update(emailed_at=None)
    pending = emails._pending_digest()
    expected_members = pending.values("recipient_id").distinct().count()
    expected_notifications = pending.count()

    job = next(job for job in periodic.jobs() if job.name == "notifications.daily_digest")
    outbox = CountingOutbox()
    mail.outbox = outbox
    load_before = os.getloadavg()[0]
    memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queries = QueryCounter()
    started, cpu_started = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(queries):
        sent = job.run()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    load_after = os.getloadavg()[0]
    memory_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    again = job.run()
    left = emails._pending_digest().count()
    return {
        "digests": sent,
        "emails": outbox.messages,
        "distinct_recipients": len(outbox.recipients),
        "expected_members": expected_members,
        "notifications": expected_notifications,
        "left_pending": left,
        "second_run": again,
        "seconds": elapsed,
        "per_second": outbox.messages / elapsed if elapsed else 0.0,
        # The job process's own processor time (not the database server's on PostgreSQL).
        "cpu_seconds": cpu,
        "queries": queries.count,
        "queries_per_email": queries.count / outbox.messages if outbox.messages else 0.0,
        "rss_before_mb": memory_before / 1024,
        "rss_peak_mb": memory_peak / 1024,
        "average_body_bytes": outbox.body_bytes / outbox.messages if outbox.messages else 0.0,
        "languages": outbox.languages,
        # Above 2 (the machine's cores), the time includes waiting for a core.
        "load_average": [load_before, load_after],
    }


def run(args: argparse.Namespace, database: str) -> None:
    env = child_env(database_url(database, f"digests-{args.members}")) | {"EMAIL_URL": "locmem://"}
    python = sys.executable

    def child(*extra: str) -> str:
        result = subprocess.run(
            [python, *extra], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
        )
        return result.stdout

    child("manage.py", "migrate", "--noinput", "-v0")
    child("bench/generate.py", "--members", str(args.members), "--networks", str(args.networks))
    child(__file__, "--child", "generate")
    runs = [json.loads(child(__file__, "--child", "measure").strip().splitlines()[-1])]
    for _ in range(args.runs - 1):
        runs.append(json.loads(child(__file__, "--child", "measure").strip().splitlines()[-1]))
    print(f"\n{database}: {args.members:,} members, daily digest job, {len(runs)} run(s)")
    for figures in runs:
        print(
            f"{figures['emails']:,} digests ({figures['notifications']:,} notifications; "
            f"{figures['expected_members']:,} members due one, "
            f"{figures['distinct_recipients']:,} distinct recipients) in "
            f"{figures['seconds']:.1f}s = {figures['per_second']:.0f} emails/s "
            f"(CPU of the job's process {figures['cpu_seconds']:.1f}s); "
            f"{figures['queries']} queries = {figures['queries_per_email']:.4f} per email; "
            f"peak RSS {figures['rss_peak_mb']:.0f} MB (before the job "
            f"{figures['rss_before_mb']:.0f} MB); average body "
            f"{figures['average_body_bytes']:.0f} bytes; languages {figures['languages']}; "
            f"left pending {figures['left_pending']}, second run sent {figures['second_run']}; "
            f"load average (1 min) {figures['load_average'][0]:.1f} before, "
            f"{figures['load_average'][1]:.1f} after"
        )
        ok = (
            figures["emails"] == figures["expected_members"] == figures["distinct_recipients"]
            and figures["left_pending"] == 0
            and figures["second_run"] == 0
        )
        print("checks: " + ("every member due a digest got exactly one" if ok else "FAILED"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--networks", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=2, help="measured runs of the job")
    parser.add_argument("--child", choices=["generate", "measure"])
    args = parser.parse_args()
    if args.child == "generate":
        generate()
    elif args.child == "measure":
        print(json.dumps(measure()))
    else:
        for database in ("sqlite", "postgres") if args.database == "both" else (args.database,):
            run(args, database)
