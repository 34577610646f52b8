"""What each app tells the search about its things: one `Provider` per kind.

An app makes its things findable with a `search_documents.py` module holding a
`register_search()` function, which the search app calls when Django starts:

    def register_search() -> None:
        registry.register(registry.Provider(
            kind="venues",                      # a word: the `?kind=` of the search page
            label=_("Venues"),
            position=40,                        # order of the groups on the page
            entries=venue_entries,              # ids -> an Entry for each that belongs
            all_ids=lambda: Venue.objects.values_list("pk", flat=True),
            categories=dict(Venue.Kind.choices),
        ))

and its services call `search.services.reindex_on_commit("venues", [venue.pk])` after a
change. `entries` decides what belongs in the index: an id it returns no entry for (a
draft, a withdrawn item, a row deleted since) leaves the index. `follows` names the kinds
whose changes change this kind's documents too (an event shows its venue's name), with a
function from their ids to the ids of this kind to rewrite.
"""

import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils.functional import Promise

type Label = str | Promise


@dataclass(frozen=True)
class Entry:
    """What the index keeps about one thing: how to find it, show it and who may see it.

    `words` are the texts a person may type to find it (its title first); `text` is the
    short line shown under the title. Who may see it: see `search.models.Document`.
    """

    object_id: int
    title: str
    url: str
    words: Sequence[str]
    text: str = ""
    category: str = ""
    is_public: bool = True
    network_id: int | None = None
    owner_id: int | None = None
    owner_circle: bool = False
    happens_at: datetime | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Provider:
    kind: str
    label: Label
    position: int
    entries: Callable[[Sequence[int]], Iterable[Entry]]
    all_ids: Callable[[], QuerySet[Any, int]]
    categories: Mapping[str, Label] = field(default_factory=dict)
    follows: Mapping[str, Callable[[Sequence[int]], Iterable[int]]] = field(default_factory=dict)

    def category_label(self, category: str) -> Label:
        return self.categories.get(category, "")


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """Add (or replace, by kind) a provider. A kind is one word of lower-case letters:
    both engines index it as a token."""
    if not provider.kind.isalpha() or not provider.kind.islower():
        raise ValueError(f"{provider.kind!r}: a kind is one word of lower-case letters.")
    _providers[provider.kind] = provider


def providers() -> list[Provider]:
    """Every provider, in the order of the groups on the search page."""
    return sorted(_providers.values(), key=lambda provider: (provider.position, provider.kind))


def get(kind: str) -> Provider:
    """The provider of `kind`; LookupError for a kind nobody registered."""
    try:
        return _providers[kind]
    except KeyError:
        raise LookupError(f"No search provider is registered for {kind!r}.") from None


def is_registered(kind: str) -> bool:
    return kind in _providers


def followers(kind: str) -> list[tuple[Provider, Callable[[Sequence[int]], Iterable[int]]]]:
    """The providers whose documents depend on documents of `kind`, with their mapping."""
    return [
        (provider, provider.follows[kind]) for provider in providers() if kind in provider.follows
    ]


def discover() -> None:
    """Call `register_search()` of every installed app's `search_documents` module."""
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.search_documents")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.search_documents":
                raise
            continue
        module.register_search()
