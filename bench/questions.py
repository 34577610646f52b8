"""Questions and answers at scale: 200,000 questions and 1,000,000 answers.

    python bench/questions.py                          # SQLite and PostgreSQL, full size
    python bench/questions.py --database sqlite --questions 20000 --answers 100000

For each database the script builds (once) its own data set: members and networks with
bench/generate.py, then questions (one in ten for one network's members only, two tags
each among 400, scores skewed towards zero, three in ten unanswered), answers spread over
the answered questions with one question holding a tenth of them all (100,000 at full
size), one accepted answer in five answered questions, all with bulk_create; then the
questions' search documents with `rebuild_index`. It then requests the lists (newest,
unanswered, most voted, by tag, by category, by words) and question pages (the one with
100,000 answers, its 50th page, a typical one) through Django's full request handling as
a member of a few networks, and prints p50/p95 latency and SQL queries per request.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import QueryCounter, child_env, database_url  # noqa: E402

BATCH = 5000
WORDS = [
    "bobine",
    "projecteur",
    "pellicule",
    "vinaigre",
    "lampe",
    "courroie",
    "objectif",
    "son",
    "optique",
    "magnétique",
    "copie",
    "sous-titres",
    "droits",
    "distributeur",
    "séance",
    "plein",
    "air",
    "écran",
    "enceinte",
    "câble",
    "scanner",
    "numérisation",
    "restauration",
    "collure",
    "amorce",
    "bobineuse",
    "colleuse",
    "format",
    "cinémascope",
]


def generate(questions: int, answers: int, seed: int = 11) -> None:
    """Runs inside a child process, with DATABASE_URL set and members already there."""
    import django

    django.setup()
    from django.db import connection

    from contrechamp.questions.models import Question

    if Question.objects.exists():
        print("questions bench data already present", file=sys.stderr)
    else:
        _bulk_load(questions, answers, seed)
        _index()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _sentence(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _bulk_load(question_count: int, answer_count: int, seed: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from contrechamp.accounts.models import User
    from contrechamp.networks.models import Network
    from contrechamp.questions.models import Answer, Category, Question, QuestionTag, Tag

    rng = random.Random(seed)
    started = time.monotonic()
    now = timezone.now()
    members = list(User.objects.filter(username__startswith="bench-").values_list("pk", flat=True))
    networks = list(Network.objects.values_list("pk", flat=True))
    categories = list(Category.objects.values_list("pk", flat=True))
    Tag.objects.bulk_create([Tag(slug=f"mot-{n}") for n in range(399)] + [Tag(slug="16mm")])
    tags = list(Tag.objects.values_list("pk", flat=True))

    # How many answers each question gets: the first holds a tenth of them, three in ten
    # others none, the rest share what is left.
    big = answer_count // 10
    per_question = [0] * question_count
    per_question[0] = big
    answered = [i for i in range(1, question_count) if rng.random() >= 0.3]
    for _ in range(answer_count - big):
        per_question[rng.choice(answered)] += 1

    def question_rows():
        for i in range(question_count):
            scoped = i % 10 == 5
            yield Question(
                author_id=rng.choice(members),
                category_id=rng.choice(categories),
                network_id=rng.choice(networks) if scoped else None,
                title=f"Comment {_sentence(rng, 4)} ? ({i})",
                body=_sentence(rng, 40),
                score=int(rng.expovariate(0.3)),
                answer_count=per_question[i],
                created_at=now - timedelta(minutes=question_count - i),
            )

    with transaction.atomic():
        Question.objects.bulk_create(question_rows(), batch_size=BATCH)
    first = Question.objects.order_by("pk").values_list("pk", flat=True)[0]
    print(f"{question_count:,} questions in {time.monotonic() - started:.1f}s", file=sys.stderr)

    with transaction.atomic():
        QuestionTag.objects.bulk_create(
            (
                QuestionTag(question_id=first + i, tag_id=tag)
                for i in range(question_count)
                for tag in rng.sample(tags, 2)
            ),
            batch_size=BATCH,
        )

    def answer_rows():
        for i, count in enumerate(per_question):
            for _ in range(count):
                yield Answer(
                    question_id=first + i,
                    author_id=rng.choice(members),
                    body=_sentence(rng, 30),
                    score=int(rng.expovariate(0.4)),
                    created_at=now,
                )

    rows = answer_rows()
    while True:
        chunk = [row for _, row in zip(range(50_000), rows, strict=False)]
        if not chunk:
            break
        with transaction.atomic():
            Answer.objects.bulk_create(chunk, batch_size=BATCH)
    print(f"{answer_count:,} answers in {time.monotonic() - started:.1f}s", file=sys.stderr)

    # One answered question in five accepts its first answer.
    answer_table, question_table = Answer._meta.db_table, Question._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {answer_table} SET is_accepted = TRUE WHERE id IN ("  # noqa: S608 - table names
            f"SELECT MIN(id) FROM {answer_table} GROUP BY question_id "
            f"HAVING question_id %% 5 = 0 OR question_id = %s)",
            [first],
        )
        cursor.execute(
            f"UPDATE {question_table} SET accepted_answer_id = (SELECT a.id FROM "  # noqa: S608
            f"{answer_table} AS a WHERE a.question_id = {question_table}.id AND a.is_accepted) "
            f"WHERE id %% 5 = 0 OR id = %s",
            [first],
        )
    print(f"accepted answers in {time.monotonic() - started:.1f}s", file=sys.stderr)


def _index() -> None:
    from contrechamp.search.services import rebuild_index

    started = time.monotonic()
    written = rebuild_index(kinds=["questions"])
    print(
        f"{written['questions']:,} search documents in {time.monotonic() - started:.1f}s",
        file=sys.stderr,
    )


class SqlClock:
    """Milliseconds spent in the database during the calls it wraps."""

    def __init__(self) -> None:
        self.ms = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms += (time.perf_counter() - started) * 1000


def _percentiles(timings: list[float]) -> dict[str, float]:
    timings.sort()
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[max(int(len(timings) * 0.95) - 1, 0)],
    }


def measure(requests: int) -> dict[str, dict[str, float]]:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from contrechamp.accounts.models import User
    from contrechamp.networks.models import Membership
    from contrechamp.questions.models import Question

    results: dict[str, dict[str, float]] = {}
    visitor_id = (
        Membership.objects.filter(
            status=Membership.Status.ACTIVE, user__username__startswith="bench-"
        )
        .values("user_id")
        .annotate(networks=Count("pk"))
        .order_by("-networks", "user_id")
        .values_list("user_id", flat=True)[0]
    )
    visitor = User.objects.get(pk=visitor_id)
    big = Question.objects.order_by("-answer_count").first()
    typical = Question.objects.filter(answer_count=5, network__isnull=True).order_by("pk").first()
    assert big is not None and typical is not None
    client = Client()
    client.force_login(visitor)
    pages = {
        "list, newest": "/questions/",
        "list, newest, page 20": "/questions/?page=20",
        "list, unanswered": "/questions/?sort=unanswered",
        "list, most voted": "/questions/?sort=votes",
        "list, by tag": "/questions/?tag=16mm",
        "list, by tag, most voted": "/questions/?tag=mot-7&sort=votes",
        "list, by category": "/questions/?category=materiel",
        "list, words (?q=bobine vinaigre)": "/questions/?q=bobine+vinaigre",
        "list, words, most voted": "/questions/?q=scanner&sort=votes",
        f"question with {big.answer_count:,} answers": f"/questions/{big.pk}/",
        "same question, page 50": f"/questions/{big.pk}/?page=50",
        f"question with {typical.answer_count} answers": f"/questions/{typical.pk}/",
    }
    for label, path in pages.items():
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            client.get(path)
        timings, sql = [], []
        for _ in range(requests):
            clock = SqlClock()
            started = time.perf_counter()
            with connection.execute_wrapper(clock):
                client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            sql.append(clock.ms)
        results[label] = {
            **_percentiles(timings),
            "sql_p50_ms": statistics.median(sql),
            "queries": queries.count,
        }
    return results


def run(args: argparse.Namespace, database: str) -> None:
    env = child_env(database_url(database, f"questions-{args.questions}-{args.answers}"))
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
        "--questions",
        str(args.questions),
        "--answers",
        str(args.answers),
    )
    out = child(__file__, "--child", "measure", "--requests", str(args.requests))
    results = json.loads(out.strip().splitlines()[-1])
    print(
        f"\n{database}: {args.questions:,} questions, {args.answers:,} answers, "
        f"{args.members:,} members; {args.requests} requests per page"
    )
    print(f"{'page':<44} {'p50 ms':>8} {'p95 ms':>8} {'SQL p50':>8} {'queries':>8}")
    for label, figures in results.items():
        print(
            f"{label:<44} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f}"
            f" {figures['sql_p50_ms']:>8.1f} {int(figures['queries']):>8}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--networks", type=int, default=1_000)
    parser.add_argument("--questions", type=int, default=200_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--child", choices=["generate", "measure"])
    args = parser.parse_args()
    if args.child == "generate":
        generate(args.questions, args.answers)
    elif args.child == "measure":
        print(json.dumps(measure(args.requests)))
    else:
        for database in ("sqlite", "postgres") if args.database == "both" else (args.database,):
            run(args, database)
