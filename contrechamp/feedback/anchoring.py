"""Finding a comment's place again in the next version of a screenplay.

A comment points at a line (an element) or a scene of version N. In version N+1:
- a line comment goes to a line with exactly the same text (the one in the same scene,
  else the nearest to its old line); failing that, to the most similar line of the same
  scene if the similarity (difflib ratio) reaches `SIMILARITY_THRESHOLD`;
- a scene comment goes to the scene with the same heading, else the most similar heading
  above the threshold;
- otherwise the comment is outdated: it stays, shown apart with the text it quoted.
"""

import difflib
from dataclasses import dataclass

from contrechamp.feedback.fountain import Element, Kind, Screenplay

SIMILARITY_THRESHOLD = 0.7

# What a line comment may point at (not notes, sections or page breaks).
ANCHORABLE = frozenset(
    {
        Kind.SCENE_HEADING,
        Kind.ACTION,
        Kind.CHARACTER,
        Kind.DIALOGUE,
        Kind.PARENTHETICAL,
        Kind.TRANSITION,
        Kind.CENTERED,
        Kind.LYRICS,
    }
)


@dataclass(frozen=True)
class Anchor:
    """Where a comment points: a line (with its element's text) or a scene."""

    line: int | None = None
    scene: int | None = None


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def _similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, _normalised(a), _normalised(b), autojunk=False)
    # quick_ratio is an upper bound: skip the full comparison when it cannot reach the bar.
    if matcher.real_quick_ratio() < SIMILARITY_THRESHOLD:
        return 0.0
    if matcher.quick_ratio() < SIMILARITY_THRESHOLD:
        return 0.0
    return matcher.ratio()


class Reanchorer:
    """Maps anchors of `old` to anchors of `new`; build once per new version."""

    def __init__(self, old: Screenplay, new: Screenplay) -> None:
        self.old = old
        self.new = new
        self._old_lines = {e.line: e for e in old.elements if e.kind in ANCHORABLE}
        self._new_lines = {e.line: e for e in new.elements}
        self._new_by_text: dict[str, list[Element]] = {}
        self._new_by_scene: dict[int | None, list[Element]] = {}
        for element in new.elements:
            if element.kind in ANCHORABLE:
                self._new_by_text.setdefault(_normalised(element.text), []).append(element)
                self._new_by_scene.setdefault(element.scene, []).append(element)
        self._scene_map: dict[int | None, int | None] = {}

    def scene(self, old_scene: int | None) -> int | None:
        """The scene of `new` that scene `old_scene` of `old` became, or None."""
        if old_scene is None:
            return None
        if old_scene not in self._scene_map:
            self._scene_map[old_scene] = self._find_scene(old_scene)
        return self._scene_map[old_scene]

    def _find_scene(self, old_scene: int) -> int | None:
        heading = self.old.scene_headings.get(old_scene)
        if heading is None:
            return None
        wanted = _normalised(heading)
        exact = [n for n, h in self.new.scene_headings.items() if _normalised(h) == wanted]
        if exact:
            # Several scenes share a heading: take the one in the closest position.
            return min(exact, key=lambda n: abs(n - old_scene))
        best, best_score = None, SIMILARITY_THRESHOLD
        for number, candidate in self.new.scene_headings.items():
            score = _similarity(heading, candidate)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = number, score
        return best

    def line(self, old_line: int) -> int | None:
        """The line of `new` that line `old_line` of `old` became, or None (outdated)."""
        element = self._old_lines.get(old_line)
        if element is None:
            return None
        scene = self.scene(element.scene) if element.scene is not None else None
        exact = self._new_by_text.get(_normalised(element.text), [])
        if exact:
            same_scene = [e for e in exact if e.scene == scene] or exact
            same_kind = [e for e in same_scene if e.kind is element.kind] or same_scene
            return min(same_kind, key=lambda e: abs(e.line - old_line)).line
        if element.scene is not None and scene is None:
            return None
        best: Element | None = None
        best_score = SIMILARITY_THRESHOLD
        for candidate in self._new_by_scene.get(scene, []):
            score = _similarity(element.text, candidate.text)
            if score > best_score or (score == best_score and best is None):
                best, best_score = candidate, score
        return best.line if best is not None else None

    def move(self, anchor: Anchor) -> Anchor | None:
        """`anchor` in the new version, or None when it is outdated."""
        if anchor.line is not None:
            line = self.line(anchor.line)
            if line is None:
                return None
            return Anchor(line=line, scene=self._new_lines[line].scene)
        if anchor.scene is not None:
            scene = self.scene(anchor.scene)
            return Anchor(scene=scene) if scene is not None else None
        return None
