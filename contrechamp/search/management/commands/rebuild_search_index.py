from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from contrechamp.search import registry, services


class Command(BaseCommand):
    help = (
        "Rewrite the search index from every app's rows, a batch at a time (or only the "
        "kinds named). Idempotent; run it after a restore, or to repair the index."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "kinds",
            nargs="*",
            help="Kinds to rebuild (default: all): "
            + ", ".join(provider.kind for provider in registry.providers()),
        )
        parser.add_argument("--batch-size", type=int, default=services.REBUILD_BATCH)

    def handle(self, *args: Any, **options: Any) -> None:
        kinds: list[str] = options["kinds"]
        unknown = [kind for kind in kinds if not registry.is_registered(kind)]
        if unknown:
            raise CommandError(f"Unknown kinds: {', '.join(unknown)}.")
        if options["batch_size"] < 1:
            raise CommandError("The batch size is at least 1.")

        def progress(kind: str, written: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"{kind}: {written}")

        written = services.rebuild_index(
            kinds=kinds or None, batch_size=options["batch_size"], progress=progress
        )
        for kind, count in written.items():
            self.stdout.write(f"{kind}: {count} documents")
        self.stdout.write(self.style.SUCCESS("The search index is up to date."))
