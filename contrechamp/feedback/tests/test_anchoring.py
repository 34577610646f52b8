"""Re-anchoring comments on a new version: exact text, similar text in the same scene,
scenes by heading, and outdated when nothing fits."""

from contrechamp.feedback.anchoring import Anchor, Reanchorer
from contrechamp.feedback.fountain import parse
from contrechamp.feedback.tests.conftest import sample

V1 = parse(sample("la_calanque_v1.fountain"))
V2 = parse(sample("la_calanque_v2.fountain"))


def move(old: str, new: str, anchor: Anchor) -> Anchor | None:
    return Reanchorer(parse(old), parse(new)).move(anchor)


def test_an_unchanged_line_keeps_its_comment_even_when_it_moved() -> None:
    # "Une dizaine de BAIGNEURS…" is line 36 in v1 and line 33 in v2.
    assert Reanchorer(V1, V2).move(Anchor(line=36)) == Anchor(line=33, scene=2)


def test_a_slightly_edited_line_in_the_same_scene_keeps_its_comment() -> None:
    # "Rien n'a bougé." became "Rien n'a bougé ici."
    assert Reanchorer(V1, V2).move(Anchor(line=17)) == Anchor(line=17, scene=1)


def test_a_removed_line_makes_its_comment_outdated() -> None:
    # Marc's "On a toujours le choix." is gone in v2.
    assert Reanchorer(V1, V2).move(Anchor(line=30)) is None


def test_a_removed_scene_makes_its_comments_outdated() -> None:
    reanchorer = Reanchorer(V1, V2)
    assert reanchorer.move(Anchor(scene=3)) is None
    assert reanchorer.move(Anchor(line=54)) is None


def test_scene_comments_follow_their_heading() -> None:
    assert Reanchorer(V1, V2).move(Anchor(scene=2)) == Anchor(scene=2)
    old = "INT. A - JOUR\n\nUn.\n\nEXT. B - NUIT\n\nDeux.\n"
    new = "EXT. Z - AUBE\n\nZéro.\n\nINT. A - JOUR\n\nUn.\n\nEXT. B - NUIT\n\nDeux.\n"
    assert move(old, new, Anchor(scene=2)) == Anchor(scene=3)


def test_a_renamed_heading_still_finds_its_scene_when_close_enough() -> None:
    old = "INT. CABANON DE SORMIOU - JOUR\n\nLina entre.\n"
    new = "INT. CABANON DE SORMIOU - SOIR\n\nLina entre.\n"
    assert move(old, new, Anchor(scene=1)) == Anchor(scene=1)
    assert move(old, "EXT. GARE SAINT-CHARLES - NUIT\n\nLina part.\n", Anchor(scene=1)) is None


def test_similar_lines_are_only_looked_for_in_the_same_scene() -> None:
    old = "INT. A - JOUR\n\nLina regarde la mer longtemps.\n\nEXT. B - NUIT\n\nRien.\n"
    new = "INT. A - JOUR\n\nAutre chose.\n\nEXT. B - NUIT\n\nLina regarde la mer un long moment.\n"
    assert move(old, new, Anchor(line=3)) is None


def test_an_exact_line_is_found_even_in_another_scene() -> None:
    old = "INT. A - JOUR\n\nLina regarde la mer.\n"
    new = "INT. B - NUIT\n\nMarc arrive.\n\nINT. C - JOUR\n\nLina regarde la mer.\n"
    assert move(old, new, Anchor(line=3)) == Anchor(line=7, scene=2)


def test_with_repeated_lines_the_one_in_the_same_scene_and_nearest_wins() -> None:
    old = "INT. A - JOUR\n\nLINA\nOui.\n\nEXT. B - NUIT\n\nLINA\nOui.\n"
    new = "INT. A - JOUR\n\nLINA\nOui.\n\nMARC\nNon.\n\nEXT. B - NUIT\n\nLINA\nOui.\n"
    assert move(old, new, Anchor(line=8)) == Anchor(line=11, scene=2)
    assert move(old, new, Anchor(line=4)) == Anchor(line=4, scene=1)


def test_whitespace_and_case_changes_do_not_break_the_anchor() -> None:
    assert move("Lina   entre.\n", "lina entre.\n", Anchor(line=1)) == Anchor(line=1, scene=None)


def test_a_line_that_was_not_an_element_has_nothing_to_follow() -> None:
    assert move("Lina.\n", "Lina.\n", Anchor(line=40)) is None
    assert move("Lina.\n", "Lina.\n", Anchor()) is None
