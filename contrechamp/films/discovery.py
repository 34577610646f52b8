"""Discovery: item-to-item collaborative filtering on the community's ratings, biased
toward hidden gems.

- A member *likes* a film they rated 3.5 stars or more.
- Two films are neighbours when the same members liked both: cosine similarity on these
  binary likes, `together / sqrt(likes_a * likes_b)`, kept for pairs liked together by at
  least `MIN_SUPPORT` members, the `NEIGHBOURS_PER_FILM` best per film.
- A member's suggestions add up the similarities from the films they liked, and divide by
  `likes ** POPULARITY_PENALTY`: at equal affinity, the film fewer people have seen (the
  hidden gem) comes before the blockbuster everyone has.
- Each suggestion explains itself: the liked film that contributed most, how many members
  liked both, and, when one shares a network with the viewer, their name.

The pure functions (`neighbours_from_likes`, `rank_suggestions`) do the arithmetic, so
`bench/films.py` evaluates exactly what the site runs.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

from django.db import transaction
from django.db.models import Count, Q

from contrechamp.accounts.models import User
from contrechamp.films.models import Film, FilmNeighbour, Rating
from contrechamp.networks.models import Membership

LIKED_HALF_STARS = 7
NEIGHBOURS_PER_FILM = 30
MIN_SUPPORT = 2
# Measured offline (bench/films.py, docs/performance.md): 0.25 keeps most of the hit rate
# while widening coverage; 0.5 buries good suggestions under obscure ones.
POPULARITY_PENALTY = 0.25
# A member with thousands of likes says little about each pair and costs quadratically.
MAX_LIKES_PER_MEMBER = 500

Likes = Mapping[int, Iterable[int]]  # member id -> ids of the films they liked
Neighbours = dict[int, list[tuple[int, float, int]]]  # film -> (neighbour, similarity, support)


def neighbours_from_likes(
    likes: Likes, *, per_film: int = NEIGHBOURS_PER_FILM, min_support: int = MIN_SUPPORT
) -> Neighbours:
    """The best neighbours of every film, from each member's liked films."""
    film_likes: Counter[int] = Counter()
    together: Counter[tuple[int, int]] = Counter()
    for films in likes.values():
        liked = sorted(set(films))[:MAX_LIKES_PER_MEMBER]
        film_likes.update(liked)
        together.update(combinations(liked, 2))
    neighbours: dict[int, list[tuple[int, float, int]]] = defaultdict(list)
    for (a, b), support in together.items():
        if support < min_support:
            continue
        similarity = support / math.sqrt(film_likes[a] * film_likes[b])
        neighbours[a].append((b, similarity, support))
        neighbours[b].append((a, similarity, support))
    return {
        film: sorted(found, key=lambda n: (-n[1], n[0]))[:per_film]
        for film, found in neighbours.items()
    }


@dataclass(frozen=True)
class Scored:
    film_id: int
    score: float
    because_of: int  # the liked film that contributed most
    support: int  # members who liked both


def rank_suggestions(
    *,
    liked: Iterable[int],
    seen: set[int],
    neighbours: Mapping[int, list[tuple[int, float, int]]],
    popularity: Mapping[int, int],
    limit: int,
    penalty: float = POPULARITY_PENALTY,
) -> list[Scored]:
    """Films the member has not rated, best first, with the liked film behind each."""
    scores: dict[int, float] = defaultdict(float)
    best: dict[int, tuple[float, int, int]] = {}
    for source in liked:
        for candidate, similarity, support in neighbours.get(source, []):
            if candidate in seen:
                continue
            scores[candidate] += similarity
            if candidate not in best or similarity > best[candidate][0]:
                best[candidate] = (similarity, source, support)
    ranked = [
        Scored(
            film_id=film,
            score=score / max(popularity.get(film, 1), 1) ** penalty,
            because_of=best[film][1],
            support=best[film][2],
        )
        for film, score in scores.items()
    ]
    ranked.sort(key=lambda s: (-s.score, s.film_id))
    return ranked[:limit]


def _likes(film_ids: Iterable[int] | None = None) -> dict[int, list[int]]:
    ratings = Rating.objects.filter(half_stars__gte=LIKED_HALF_STARS)
    if film_ids is not None:
        ratings = ratings.filter(user__in=ratings.filter(film_id__in=film_ids).values("user_id"))
    likes: dict[int, list[int]] = defaultdict(list)
    for user_id, film_id in ratings.values_list("user_id", "film_id").iterator(chunk_size=20000):
        likes[user_id].append(film_id)
    return likes


@transaction.atomic
def recompute_neighbours() -> int:
    """Rebuild the whole neighbour table from all ratings; how many pairs it holds."""
    neighbours = neighbours_from_likes(_likes())
    FilmNeighbour.objects.all().delete()
    rows = [
        FilmNeighbour(film_id=film, neighbour_id=other, similarity=similarity, support=support)
        for film, found in neighbours.items()
        for other, similarity, support in found
    ]
    FilmNeighbour.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


@transaction.atomic
def refresh_film_neighbours(film_id: int) -> int:
    """After new ratings of one film: recompute its neighbours (and its place in theirs)
    from the members who liked it, without rebuilding the whole table."""
    neighbours = neighbours_from_likes(_likes([film_id]))
    found = neighbours.get(film_id, [])
    FilmNeighbour.objects.filter(Q(film_id=film_id) | Q(neighbour_id=film_id)).delete()
    rows = [
        FilmNeighbour(film_id=film_id, neighbour_id=other, similarity=similarity, support=support)
        for other, similarity, support in found
    ] + [
        FilmNeighbour(film_id=other, neighbour_id=film_id, similarity=similarity, support=support)
        for other, similarity, support in found
    ]
    FilmNeighbour.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@dataclass(frozen=True)
class Suggestion:
    film: Film
    because_of: Film
    support: int
    # A member of the viewer's networks who liked both films, when there is one.
    fellow: User | None

    @property
    def others(self) -> int:
        return max(self.support - (1 if self.fellow else 0), 0)


def suggestions_for(member: User, *, limit: int = 10) -> list[Suggestion]:
    """The member's suggestions with their reasons: a fixed number of queries."""
    rated = dict(Rating.objects.filter(user=member).values_list("film_id", "half_stars"))
    liked = [film for film, half_stars in rated.items() if half_stars >= LIKED_HALF_STARS]
    if not liked:
        return []
    neighbours: dict[int, list[tuple[int, float, int]]] = defaultdict(list)
    for film_id, other, similarity, support in FilmNeighbour.objects.filter(
        film_id__in=liked
    ).values_list("film_id", "neighbour_id", "similarity", "support"):
        neighbours[film_id].append((other, similarity, support))
    candidates = {other for found in neighbours.values() for other, _s, _n in found}
    popularity = dict(
        Rating.objects.filter(film_id__in=candidates, half_stars__gte=LIKED_HALF_STARS)
        .values("film_id")
        .annotate(likes=Count("pk"))
        .values_list("film_id", "likes")
    )
    ranked = rank_suggestions(
        liked=liked, seen=set(rated), neighbours=neighbours, popularity=popularity, limit=limit
    )
    films = Film.objects.in_bulk({s.film_id for s in ranked} | {s.because_of for s in ranked})
    fellows = _fellows(member, ranked)
    return [
        Suggestion(
            film=films[s.film_id],
            because_of=films[s.because_of],
            support=s.support,
            fellow=fellows.get((s.film_id, s.because_of)),
        )
        for s in ranked
        if s.film_id in films and s.because_of in films
    ]


def _fellows(member: User, ranked: list[Scored]) -> dict[tuple[int, int], User]:
    """For each (suggestion, liked film), one member of the viewer's networks who liked
    both. Two queries whatever the number of suggestions; names only people who share a
    network with the viewer."""
    if not ranked:
        return {}
    my_networks = Membership.objects.filter(user=member, status=Membership.Status.ACTIVE)
    fellows = (
        Membership.objects.filter(
            network_id__in=my_networks.values("network_id"), status=Membership.Status.ACTIVE
        )
        .exclude(user=member)
        .values("user_id")
    )
    films = {s.film_id for s in ranked} | {s.because_of for s in ranked}
    liked_by: dict[int, set[int]] = defaultdict(set)
    for user_id, film_id in Rating.objects.filter(
        film_id__in=films, half_stars__gte=LIKED_HALF_STARS, user_id__in=fellows
    ).values_list("user_id", "film_id"):
        liked_by[user_id].add(film_id)
    pairs: dict[tuple[int, int], int] = {}
    for s in ranked:
        for user_id in sorted(liked_by):
            if {s.film_id, s.because_of} <= liked_by[user_id]:
                pairs[(s.film_id, s.because_of)] = user_id
                break
    people = User.objects.in_bulk(set(pairs.values()))
    return {pair: people[user_id] for pair, user_id in pairs.items() if user_id in people}
