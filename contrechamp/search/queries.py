"""Reads of the one search: the results page, one kind's pages and the suggestions.

A search is three queries whatever the size of the index (four when a typo needs the
trigram fallback, one more for a signed-in viewer's networks):
1. the engine's candidates: at most `cap` documents of each kind, with their score;
2. which of them this viewer may see and are not over (`visible_to`, in SQL);
3. the documents shown, by primary key.
Ranking, grouping by kind and counting happen between 2 and 3, on a few thousand ids.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Q
from django.http import QueryDict
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.networks.models import Membership
from contrechamp.search import engine, registry
from contrechamp.search.models import Document

# Candidates per kind: past this, a kind's count shows as "500+" and its pages stop (25
# of them). Half the lists' 1,000 (`core.pagination.LIST_CAP`): a common word costs each
# kind its cap in rows read and ranked, and "cine club" then stays under 50 ms on
# PostgreSQL at bench size (bench/search.py).
CAP = 500
SUGGESTION_CAP = 100
SIMILAR_CAP = 50
PER_KIND = 5
PER_PAGE = 20
SUGGESTIONS_PER_KIND = 3
SUGGESTIONS_MAX = 8
QUERY_MAX = 100


@dataclass(frozen=True)
class SearchParams:
    """What the query string asks for, cleaned without errors: an unknown kind means
    every kind, a query is cut at `QUERY_MAX` characters."""

    q: str = ""
    kind: str = ""
    page: str = "1"

    @classmethod
    def from_query(cls, params: QueryDict) -> "SearchParams":
        kind = params.get("kind", "")
        return cls(
            q=" ".join(params.get("q", "").split())[:QUERY_MAX],
            kind=kind if registry.is_registered(kind) else "",
            page=params.get("page", "1")[:10],
        )

    @property
    def words(self) -> list[str]:
        return engine.terms(self.q)


@dataclass(frozen=True)
class Result:
    document: Document
    provider: registry.Provider

    @property
    def category_label(self) -> registry.Label:
        return self.provider.category_label(self.document.category)


@dataclass
class Group:
    """One kind's results: `count` visible matches (more exist when `more`)."""

    provider: registry.Provider
    count: int
    more: bool
    results: list[Result] = field(default_factory=list)


@dataclass
class SearchResults:
    params: SearchParams
    groups: list[Group] = field(default_factory=list)
    # With `?kind=`: the page (of document ids, for its numbers and links) and its results.
    page: Page[int] | None = None
    page_results: list[Result] = field(default_factory=list)
    # Nothing matched every word: these are close spellings.
    approximate: bool = False

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def more(self) -> bool:
        return any(group.more for group in self.groups)

    @property
    def searched(self) -> bool:
        return bool(self.params.words)

    @property
    def chosen(self) -> registry.Provider | None:
        return registry.get(self.params.kind) if self.params.kind else None

    @property
    def chosen_group(self) -> Group | None:
        return next((g for g in self.groups if g.provider.kind == self.params.kind), None)


def network_ids(viewer: User | AnonymousUser) -> list[int]:
    """The networks the viewer is an active member of (one query; none when signed out)."""
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=viewer, status=Membership.Status.ACTIVE).values_list(
            "network_id", flat=True
        )
    )


def visible_to(viewer: User | AnonymousUser, networks: Sequence[int], now: datetime) -> Q:
    """Documents the viewer may see and that are not over: public ones; for a member, those
    of their networks, their own, and those their owner shows to "members of my networks"
    when they share one (read from the memberships now, as `lending.queries.visible_items`
    does). `networks` is `network_ids(viewer)`."""
    live = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return live & Q(is_public=True)
    seen = Q(is_public=True) | Q(owner_id=viewer.pk)
    if networks:
        shares_a_network = Membership.objects.filter(
            user_id=OuterRef("owner_id"),
            status=Membership.Status.ACTIVE,
            network_id__in=list(networks),
        )
        seen |= Q(network_id__in=list(networks)) | Q(Q(owner_circle=True), Exists(shares_a_network))
    return live & seen


@dataclass
class _Ranked:
    ids: dict[str, list[int]]
    capped: set[str]
    approximate: bool


def _ranked(
    viewer: User | AnonymousUser, words: list[str], kinds: list[str], *, cap: int
) -> _Ranked:
    """The visible matches of each kind, best first (two or three queries)."""
    found = engine.candidates(words, kinds, cap=cap)
    approximate = False
    if not found:
        found = engine.similar(words, kinds, cap=SIMILAR_CAP)
        approximate = bool(found)
    if not found:
        return _Ranked({}, set(), approximate=False)
    per_kind: dict[str, int] = defaultdict(int)
    for candidate in found:
        per_kind[candidate.kind] += 1
    capped = {kind for kind, count in per_kind.items() if count >= cap}
    # Equal scores keep this order: what happens soonest, then what was indexed last.
    visible = {
        pk: position
        for position, pk in enumerate(
            Document.objects.filter(pk__in=engine.among([c.id for c in found]))
            .filter(visible_to(viewer, network_ids(viewer), timezone.now()))
            .order_by(F("happens_at").asc(nulls_last=True), "-pk")
            .values_list("pk", flat=True)
        )
    }
    ordered = sorted((c for c in found if c.id in visible), key=lambda c: (-c.score, visible[c.id]))
    ids: dict[str, list[int]] = defaultdict(list)
    for candidate in ordered:
        ids[candidate.kind].append(candidate.id)
    return _Ranked(ids, capped, approximate)


def _results(ids: Sequence[int]) -> list[Result]:
    """The documents of these ids, in this order (one query)."""
    if not ids:
        return []
    documents = Document.objects.defer("search_text").in_bulk(list(ids))
    return [
        Result(documents[pk], registry.get(documents[pk].kind)) for pk in ids if pk in documents
    ]


def search(viewer: User | AnonymousUser, params: SearchParams) -> SearchResults:
    """Every kind's visible matches, counted, with the best `PER_KIND` of each; with
    `params.kind`, that kind's page of `PER_PAGE` results instead."""
    results = SearchResults(params=params)
    words = params.words
    if not words:
        return results
    kinds = [provider.kind for provider in registry.providers()]
    ranked = _ranked(viewer, words, kinds, cap=CAP)
    results.approximate = ranked.approximate
    groups = [
        Group(provider=provider, count=len(ids), more=provider.kind in ranked.capped)
        for provider in registry.providers()
        if (ids := ranked.ids.get(provider.kind))
    ]
    results.groups = groups
    if params.kind:
        results.page = Paginator(ranked.ids.get(params.kind, []), PER_PAGE).get_page(params.page)
        results.page_results = _results(list(results.page.object_list))
        return results
    shown = _results([pk for group in groups for pk in ranked.ids[group.provider.kind][:PER_KIND]])
    for group in groups:
        group.results = [r for r in shown if r.provider.kind == group.provider.kind]
    return results


def suggestions(viewer: User | AnonymousUser, query: str) -> list[Result]:
    """A few of the best matches while a person types: up to `SUGGESTIONS_PER_KIND` of
    each kind, `SUGGESTIONS_MAX` in all, grouped in the order of the search page."""
    words = engine.terms(query[:QUERY_MAX])
    if not words:
        return []
    kinds = [provider.kind for provider in registry.providers()]
    ranked = _ranked(viewer, words, kinds, cap=SUGGESTION_CAP)
    chosen = [pk for kind in kinds for pk in ranked.ids.get(kind, [])[:SUGGESTIONS_PER_KIND]]
    return _results(chosen[:SUGGESTIONS_MAX])
