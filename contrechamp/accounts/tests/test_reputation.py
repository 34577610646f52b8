from collections.abc import Iterator, Mapping, Sequence

import pytest

from contrechamp.accounts import reputation


@pytest.fixture
def sources() -> Iterator[None]:
    saved = dict(reputation._sources)
    reputation._sources.clear()
    yield
    reputation._sources.clear()
    reputation._sources.update(saved)


def test_points_from_every_source_add_up(sources: None) -> None:
    def answers(ids: Sequence[int]) -> Mapping[int, int]:
        return {1: 10, 2: 5}

    def guides(ids: Sequence[int]) -> Mapping[int, int]:
        return {1: 3, 99: 7}  # 99 was not asked for

    reputation.register(reputation.Source("answers", "Answers", answers))
    reputation.register(reputation.Source("guides", "Guides", guides))

    found = reputation.reputation_of([1, 2, 3, 1])

    assert found[1] == reputation.Reputation(13, (("Answers", 10), ("Guides", 3)))
    assert found[2].total == 5
    assert found[3] == reputation.Reputation()
    assert 99 not in found


def test_no_member_asks_no_source(sources: None) -> None:
    def refuse(ids: Sequence[int]) -> Mapping[int, int]:
        raise AssertionError("asked for nobody")

    reputation.register(reputation.Source("refuse", "Refuse", refuse))

    assert reputation.reputation_of([]) == {}
