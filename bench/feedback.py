"""Screenplay feedback: parsing and rendering a 120-page screenplay, and its page with many
comments.

    python bench/feedback.py                           # SQLite and PostgreSQL
    python bench/feedback.py --database sqlite --pages 30 --comments 200

For each database the script builds (once) its own data set: a project, a generated
screenplay of `--pages` pages in Fountain (scene headings, action, dialogue with
parentheticals, transitions; about 55 lines a page), and two versions of it: one with a
handful of comment threads, one with `--comments` threads (each with a reply) on its
lines and scenes. It then measures `fountain.parse` and `rendering.render` alone, the
cached rendering a page view uses (`cached_layout` + `with_counts`), and the version page
through Django's full request handling with few and with many comments, and prints p50/p95
latency (for pages, also the CPU time of the Django process) and SQL queries per call: the
page's query count must not depend on the number of comments.
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import QueryCounter, child_env, database_url  # noqa: E402

PLACES = ["CABANON", "PLAGE", "ROUTE DES CRÊTES", "PORT", "GARE SAINT-CHARLES", "NOTAIRE"]
PEOPLE = ["LINA", "MARC", "NOTAIRE", "SAMIA", "PÊCHEUR"]
WORDS = [
    "la",
    "mer",
    "le",
    "sel",
    "les",
    "rochers",
    "une",
    "lumière",
    "blanche",
    "le",
    "vent",
    "tourne",
    "elle",
    "regarde",
    "il",
    "attend",
    "personne",
    "ne",
    "parle",
    "le",
    "bateau",
    "rentre",
    "au",
    "port",
    "les",
    "filets",
    "sèchent",
    "au",
    "soleil",
]


def screenplay(pages: int, seed: int = 7) -> str:
    """A Fountain screenplay of about `pages` pages (55 lines a page)."""
    rng = random.Random(seed)

    def sentence(low: int, high: int) -> str:
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))
        return text[0].upper() + text[1:] + "."

    lines = ["Title: Banc d'essai", "Author: Contrechamp", ""]
    scene = 0
    while len(lines) < pages * 55:
        scene += 1
        moment = rng.choice(["JOUR", "NUIT", "AUBE"])
        lines += [f"{rng.choice(['INT.', 'EXT.'])} {rng.choice(PLACES)} {scene} - {moment}", ""]
        for _ in range(rng.randint(3, 7)):
            if rng.random() < 0.4:
                lines += [sentence(12, 40), ""]
            else:
                lines.append(rng.choice(PEOPLE))
                if rng.random() < 0.3:
                    lines.append("(à voix basse)")
                lines += [sentence(4, 20), ""]
        if rng.random() < 0.3:
            lines += ["CUT TO:", ""]
    return "\n".join(lines) + "\n"


def generate(pages: int, comments: int, seed: int = 8) -> None:
    """Runs inside a child process, with DATABASE_URL set."""
    import django

    django.setup()
    from django.db import connection, transaction

    from contrechamp.accounts.models import User
    from contrechamp.feedback import anchoring, fountain
    from contrechamp.feedback.models import ScreenplayComment, ScreenplayVersion
    from contrechamp.projects.models import Project, TeamMember

    if Project.objects.filter(slug="banc-d-essai").exists():
        print("feedback bench data already present", file=sys.stderr)
        return
    rng = random.Random(seed)
    source = screenplay(pages)
    parsed = fountain.parse(source)
    lines = [e for e in parsed.elements if e.kind in anchoring.ANCHORABLE]
    with transaction.atomic():
        owner = User.objects.create_user(username="bench-owner", email="owner@bench.invalid")
        readers = User.objects.bulk_create(
            User(username=f"bench-reader-{i}", email=f"r{i}@bench.invalid") for i in range(20)
        )
        for slug, count in (("banc-d-essai-peu", 5), ("banc-d-essai", comments)):
            project = Project.objects.create(
                slug=slug, title="Banc d'essai", kind="short_film", owner=owner
            )
            TeamMember.objects.create(project=project, member=owner, is_manager=True)
            version = ScreenplayVersion.objects.create(project=project, number=1, source=source)
            threads = []
            for i in range(count):
                element = rng.choice(lines)
                on_scene = i % 10 == 0 and element.scene is not None
                threads.append(
                    ScreenplayComment(
                        version=version,
                        written_on=version,
                        author=rng.choice(readers),
                        line=None if on_scene else element.line,
                        scene=element.scene,
                        quoted_text=element.text,
                        body=" ".join(rng.choice(WORDS) for _ in range(25)),
                    )
                )
            created = ScreenplayComment.objects.bulk_create(threads, batch_size=1000)
            ScreenplayComment.objects.bulk_create(
                (
                    ScreenplayComment(
                        version=version,
                        written_on=version,
                        parent=thread,
                        author=owner,
                        body="Merci.",
                    )
                    for thread in created
                ),
                batch_size=1000,
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


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

    from contrechamp.feedback import fountain, rendering
    from contrechamp.feedback.models import ScreenplayComment, ScreenplayVersion
    from contrechamp.projects.models import Project

    project = Project.objects.select_related("owner").get(slug="banc-d-essai")
    source = ScreenplayVersion.objects.get(project=project).source
    results: dict[str, dict[str, float]] = {}
    timings = []
    parsed = fountain.parse(source)
    for _ in range(calls):
        started = time.perf_counter()
        parsed = fountain.parse(source)
        timings.append((time.perf_counter() - started) * 1000)
    results[f"parse ({len(parsed.elements):,} elements)"] = {**_percentiles(timings), "queries": 0}
    timings = []
    for _ in range(calls):
        started = time.perf_counter()
        rendering.render(parsed, comment_counts={}, comment_link=lambda e: f"?line={e.line}")
        timings.append((time.perf_counter() - started) * 1000)
    results["render"] = {**_percentiles(timings), "queries": 0}
    timings = []
    counts = {e.line: 2 for e in parsed.elements[::4]}
    for _ in range(calls):
        started = time.perf_counter()
        layout = rendering.cached_layout(
            key="bench", source=source, parse=fountain.parse_cached, link_base="/bench/"
        )
        rendering.with_counts(layout, counts)
        timings.append((time.perf_counter() - started) * 1000)
    results["render from the cache, with counts"] = {**_percentiles(timings), "queries": 0}

    client = Client()
    client.force_login(project.owner)
    for slug in ("banc-d-essai-peu", "banc-d-essai"):
        threads = ScreenplayComment.objects.filter(
            version__project__slug=slug, parent__isnull=True
        ).count()
        path = f"/projects/{slug}/feedback/screenplay/v1/"
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            client.get(path)
        timings = []
        cpu = []
        for _ in range(requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        label = f"version page, {threads:,} threads"
        results[label] = {**_percentiles(timings), "queries": queries.count}
        # The CPU time of this process alone: steadier than wall time on a shared machine
        # (it leaves out the database server and waiting for a core).
        results[f"{label}: CPU of the Django process"] = {
            **_percentiles(cpu),
            "queries": queries.count,
        }
    return results


def run(args: argparse.Namespace, database: str) -> None:
    env = child_env(database_url(database, f"feedback-{args.pages}-{args.comments}"))
    python = sys.executable

    def child(*extra: str) -> str:
        result = subprocess.run(
            [python, *extra], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
        )
        return result.stdout

    child("manage.py", "migrate", "--noinput", "-v0")
    child(
        __file__,
        "--child",
        "generate",
        "--pages",
        str(args.pages),
        "--comments",
        str(args.comments),
    )
    out = child(
        __file__, "--child", "measure", "--calls", str(args.calls), "--requests", str(args.requests)
    )
    results = json.loads(out.strip().splitlines()[-1])
    print(
        f"\n{database}: a {args.pages}-page screenplay, {args.comments:,} comment threads; "
        f"{args.calls} parses and renders, {args.requests} requests per page"
    )
    print(f"{'what':<56} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, figures in results.items():
        print(
            f"{label:<56} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f}"
            f" {int(figures['queries']):>8}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--child", choices=["generate", "measure"])
    args = parser.parse_args()
    if args.child == "generate":
        generate(args.pages, args.comments)
    elif args.child == "measure":
        print(json.dumps(measure(args.calls, args.requests)))
    else:
        for database in ("sqlite", "postgres") if args.database == "both" else (args.database,):
            run(args, database)
