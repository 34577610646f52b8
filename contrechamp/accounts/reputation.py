"""A member's reputation: points the other apps award for know-how that helped someone.

accounts sits below every other app, so each app registers its source in its
``AppConfig.ready()``:

    reputation.register(reputation.Source(
        name="questions.accepted_answers",
        label=_("Accepted answers"),
        points=accepted_answer_points,     # user ids -> {user id: points}, one query
    ))

`reputation_of` asks every source once for a whole set of members, so a page that shows
the reputation of fifty people runs one query per source, not per person.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise

type Label = str | Promise


@dataclass(frozen=True)
class Source:
    name: str
    label: Label
    points: Callable[[Sequence[int]], Mapping[int, int]]


@dataclass(frozen=True)
class Reputation:
    total: int = 0
    # (label, points) for each source that gave this member points, in registration order.
    parts: tuple[tuple[Label, int], ...] = field(default_factory=tuple)


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    """Add (or replace, by name) a source of reputation points."""
    _sources[source.name] = source


def reputation_of(user_ids: Sequence[int]) -> dict[int, Reputation]:
    """The reputation of each member in `user_ids` (members without points included)."""
    ids = list(dict.fromkeys(user_ids))
    parts: dict[int, list[tuple[Label, int]]] = {user_id: [] for user_id in ids}
    if ids:
        for source in _sources.values():
            for user_id, points in source.points(ids).items():
                if points and user_id in parts:
                    parts[user_id].append((source.label, points))
    return {
        user_id: Reputation(total=sum(points for _, points in found), parts=tuple(found))
        for user_id, found in parts.items()
    }
