"""Parsing Fountain screenplays (https://fountain.io/syntax) into a list of elements.

Each element keeps the number of the source line it starts on (1-based) and the number of
the scene it belongs to (1 for the first scene heading, None before any), so a comment can
point at "line 42, scene 3" and be found again in the next version. Boneyard (`/* */`) is
dropped and notes (`[[ ]]`) are kept apart from the text, without shifting line numbers.

`parse` never raises: any text is a screenplay, at worst made only of action.
"""

import functools
import re
from dataclasses import dataclass, field, replace
from enum import StrEnum


class Kind(StrEnum):
    SCENE_HEADING = "scene_heading"
    ACTION = "action"
    CHARACTER = "character"
    DIALOGUE = "dialogue"
    PARENTHETICAL = "parenthetical"
    TRANSITION = "transition"
    CENTERED = "centered"
    LYRICS = "lyrics"
    NOTE = "note"
    SECTION = "section"
    SYNOPSIS = "synopsis"
    PAGE_BREAK = "page_break"


@dataclass(frozen=True)
class Element:
    kind: Kind
    text: str
    line: int
    scene: int | None
    # Side-by-side dialogue (a character cue ending in ^ and the cue before it).
    dual: bool = False
    # A scene number written in the heading (#12A#), or a section's depth as text.
    label: str = ""
    depth: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Screenplay:
    title_page: tuple[tuple[str, str], ...]
    elements: tuple[Element, ...]
    scene_headings: dict[int, str] = field(default_factory=dict)

    def element_at(self, line: int) -> Element | None:
        return next((element for element in self.elements if element.line == line), None)

    @property
    def title(self) -> str:
        return next((value for key, value in self.title_page if key.lower() == "title"), "")


TITLE_KEYS = frozenset(
    {
        "title",
        "credit",
        "author",
        "authors",
        "source",
        "draft date",
        "date",
        "contact",
        "copyright",
        "notes",
        "revision",
    }
)

_SCENE_START = re.compile(r"^(?:int|ext|est|int\.?/ext|i/e)[. ]", re.IGNORECASE)
_SCENE_NUMBER = re.compile(r"\s*#([\w.\-]+)#\s*$")
_TRANSITION = re.compile(r"^[^a-z]*TO:$")
_CHARACTER_EXTENSION = re.compile(r"\s*\([^)]*\)")
_TITLE_LINE = re.compile(r"^([A-Za-z][A-Za-z ]*):(.*)$")
_NOTE = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
_BONEYARD = re.compile(r"/\*.*?\*/", re.DOTALL)
# A line made only of a sentinel holds nothing: it was boneyard or the rest of a note.
_SKIP = "\x00"
_MAX_SECTION_DEPTH = 6


def _blank_out(
    text: str, pattern: re.Pattern[str], keep_notes: bool
) -> tuple[str, dict[int, list[str]]]:
    """Remove the matches of `pattern` but keep their line breaks, so lines keep their
    numbers; a line that only held removed text becomes a sentinel line. With `keep_notes`
    the removed texts are returned by the line where each one starts (0-based)."""
    notes: dict[int, list[str]] = {}
    pieces: list[str] = []
    position = 0
    touched: set[int] = set()
    for match in pattern.finditer(text):
        before = text[position : match.start()]
        pieces.append(before)
        first_line = text.count("\n", 0, match.start())
        inside = match.group(0)
        line_count = inside.count("\n")
        touched.update(range(first_line, first_line + line_count + 1))
        if keep_notes:
            note = " ".join(match.group(1).split())
            if note:
                notes.setdefault(first_line, []).append(note)
        pieces.append("\n" * line_count)
        position = match.end()
    pieces.append(text[position:])
    lines = "".join(pieces).split("\n")
    for number in touched:
        if number < len(lines) and not lines[number].strip():
            lines[number] = _SKIP
    return "\n".join(lines), notes


def _is_blank(line: str) -> bool:
    # Two spaces alone keep a dialogue or an action paragraph going (Fountain's rule).
    return not line.strip() and line != "  "


def _is_character(line: str, following: str | None) -> bool:
    if following is None or _is_blank(following):
        return False
    stripped = line.strip()
    if stripped.startswith("@"):
        return len(stripped) > 1
    name = _CHARACTER_EXTENSION.sub("", stripped).rstrip("^").strip()
    return bool(name) and name == name.upper() and any(c.isalpha() for c in name)


def _is_forced_heading(stripped: str) -> bool:
    # ".BEACH" is a heading; "..." or ".5 seconds" opening an action line are not.
    return len(stripped) > 1 and stripped[0] == "." and stripped[1].isalpha()


def _title_page(lines: list[str]) -> tuple[tuple[tuple[str, str], ...], int]:
    """The title page's (key, value) pairs and the index of the first line after it."""
    index = 0
    while index < len(lines) and _is_blank(lines[index]):
        index += 1
    pairs: list[tuple[str, str]] = []
    while index < len(lines) and not _is_blank(lines[index]):
        line = lines[index]
        match = _TITLE_LINE.match(line)
        if match and match.group(1).strip().lower() in TITLE_KEYS:
            pairs.append((match.group(1).strip(), match.group(2).strip()))
        elif pairs and (line.startswith(("   ", "\t")) or line == _SKIP):
            if line != _SKIP:
                key, value = pairs[-1]
                pairs[-1] = (key, f"{value}\n{line.strip()}".strip())
        else:
            return (), 0
        index += 1
    if not pairs:
        return (), 0
    return tuple(pairs), index


def parse(source: str) -> Screenplay:
    """The screenplay written in `source` (any text; never raises)."""
    text = source.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = text.replace(_SKIP, "")
    text, _ = _blank_out(text, _BONEYARD, keep_notes=False)
    text, notes = _blank_out(text, _NOTE, keep_notes=True)
    lines = text.split("\n")
    title_page, start = _title_page(lines)
    return _Parser(lines, notes).run(title_page, start)


@functools.lru_cache(maxsize=8)
def parse_cached(source: str) -> Screenplay:
    """`parse`, remembered for the last few texts: a version's text never changes, and its
    page, its comments and the API parse it again on every request. The result must be
    treated as read-only."""
    return parse(source)


class _Parser:
    def __init__(self, lines: list[str], notes: dict[int, list[str]]) -> None:
        self.lines = lines
        self.notes = notes
        self.elements: list[Element] = []
        self.scene: int | None = None
        self.headings: dict[int, str] = {}

    def run(self, title_page: tuple[tuple[str, str], ...], start: int) -> Screenplay:
        index = start
        while index < len(self.lines):
            if _is_blank(self.lines[index]):
                index += 1
                continue
            end = index
            while end < len(self.lines) and not _is_blank(self.lines[end]):
                end += 1
            self._block(index, end)
            index = end
        self.elements.sort(key=lambda element: element.line)
        return Screenplay(title_page, tuple(self.elements), self.headings)

    def _add(
        self,
        kind: Kind,
        text: str,
        number: int,
        *,
        dual: bool = False,
        label: str = "",
        depth: int = 0,
    ) -> None:
        notes = tuple(self.notes.get(number, ()))
        self.elements.append(
            Element(
                kind, text, number + 1, self.scene, dual=dual, label=label, depth=depth, notes=notes
            )
        )

    def _block(self, start: int, end: int) -> None:
        """Parse the non-blank lines [start, end) that blank lines surround."""
        # Sentinel lines (boneyard, note continuations) hold nothing; a line that only held
        # a note becomes a note element and does not break the paragraph.
        numbers = [n for n in range(start, end) if self.lines[n] != _SKIP]
        self._paragraph(numbers)
        for number in range(start, end):
            if self.lines[number] == _SKIP and number in self.notes:
                scene = next(
                    (e.scene for e in reversed(self.elements) if e.line <= number + 1), None
                )
                text = " ".join(self.notes[number])
                self.elements.append(Element(Kind.NOTE, text, number + 1, scene))

    def _paragraph(self, numbers: list[int]) -> None:
        if not numbers:
            return
        first = self.lines[numbers[0]]
        stripped = first.strip()
        following = self.lines[numbers[1]] if len(numbers) > 1 else None
        single = len(numbers) == 1

        if stripped.startswith("!"):
            self._action(numbers, force=True)
        elif _is_forced_heading(stripped) or _SCENE_START.match(stripped):
            # Headings are often written with the action right below, without a blank line.
            self._one_line(Kind.SCENE_HEADING, stripped, numbers[0])
            self._paragraph(numbers[1:])
        elif _is_character(first, following) and not stripped.startswith(
            (">", "~", "#", "=", ".", "[")
        ):
            self._dialogue(numbers)
        elif stripped.startswith("@") and len(stripped) > 1 and single:
            self._add(Kind.ACTION, stripped, numbers[0])
        else:
            self._lines(numbers, single)

    def _lines(self, numbers: list[int], single: bool) -> None:
        """Elements that take one line each, and action paragraphs between them."""
        paragraph: list[int] = []
        for number in numbers:
            stripped = self.lines[number].strip()
            kind = self._line_kind(stripped, single and number == numbers[0])
            if kind is None:
                paragraph.append(number)
                continue
            if paragraph:
                self._action(paragraph)
                paragraph = []
            self._one_line(kind, stripped, number)
        if paragraph:
            self._action(paragraph)

    def _line_kind(self, stripped: str, alone: bool) -> Kind | None:
        if re.fullmatch(r"={3,}", stripped):
            return Kind.PAGE_BREAK
        if stripped.startswith("#"):
            return Kind.SECTION
        if stripped.startswith("="):
            return Kind.SYNOPSIS
        if stripped.startswith(">") and stripped.endswith("<") and len(stripped) > 1:
            return Kind.CENTERED
        if stripped.startswith(">"):
            return Kind.TRANSITION
        if stripped.startswith("~"):
            return Kind.LYRICS
        if _is_forced_heading(stripped):
            return Kind.SCENE_HEADING
        if alone and _SCENE_START.match(stripped):
            return Kind.SCENE_HEADING
        if alone and _TRANSITION.match(stripped):
            return Kind.TRANSITION
        return None

    def _one_line(self, kind: Kind, stripped: str, number: int) -> None:
        if kind is Kind.PAGE_BREAK:
            self._add(kind, "", number)
        elif kind is Kind.SECTION:
            depth = len(stripped) - len(stripped.lstrip("#"))
            self._add(
                kind, stripped.lstrip("#").strip(), number, depth=min(depth, _MAX_SECTION_DEPTH)
            )
        elif kind is Kind.SYNOPSIS:
            self._add(kind, stripped[1:].strip(), number)
        elif kind is Kind.CENTERED:
            self._add(kind, stripped[1:-1].strip(), number)
        elif kind is Kind.TRANSITION:
            self._add(kind, stripped.lstrip(">").strip().upper(), number)
        elif kind is Kind.LYRICS:
            self._add(kind, stripped[1:].strip(), number)
        else:
            heading = stripped[1:] if stripped.startswith(".") else stripped
            label = ""
            match = _SCENE_NUMBER.search(heading)
            if match:
                label = match.group(1)
                heading = heading[: match.start()]
            heading = heading.strip().upper()
            self.scene = (self.scene or 0) + 1
            self.headings[self.scene] = heading
            self._add(kind, heading, number, label=label)

    def _action(self, numbers: list[int], force: bool = False) -> None:
        texts = [self.lines[number].rstrip() for number in numbers]
        if force and texts:
            texts[0] = texts[0].lstrip()[1:]
        text = "\n".join(texts).strip("\n")
        if not text.strip():
            return
        notes = tuple(note for number in numbers for note in self.notes.get(number, ()))
        self.elements.append(Element(Kind.ACTION, text, numbers[0] + 1, self.scene, notes=notes))

    def _dialogue(self, numbers: list[int]) -> None:
        cue = self.lines[numbers[0]].strip()
        dual = cue.endswith("^")
        name = cue.rstrip("^").strip()
        if name.startswith("@"):
            name = name[1:].strip()
        if dual:
            self._mark_previous_dialogue_dual()
        self._add(Kind.CHARACTER, name, numbers[0], dual=dual)
        speech: list[int] = []

        def flush() -> None:
            if speech:
                text = "\n".join(self.lines[n].strip() for n in speech).strip()
                notes = tuple(note for n in speech for note in self.notes.get(n, ()))
                self.elements.append(
                    Element(Kind.DIALOGUE, text, speech[0] + 1, self.scene, dual=dual, notes=notes)
                )
                speech.clear()

        for number in numbers[1:]:
            stripped = self.lines[number].strip()
            if stripped.startswith("(") and stripped.endswith(")"):
                flush()
                self._add(Kind.PARENTHETICAL, stripped, number, dual=dual)
            else:
                speech.append(number)
        flush()

    def _mark_previous_dialogue_dual(self) -> None:
        """The cue before a ^ cue speaks at the same time: mark its group too."""
        index = len(self.elements) - 1
        while index >= 0 and self.elements[index].kind in (
            Kind.DIALOGUE,
            Kind.PARENTHETICAL,
            Kind.NOTE,
        ):
            index -= 1
        if index < 0 or self.elements[index].kind is not Kind.CHARACTER:
            return
        for position in range(index, len(self.elements)):
            self.elements[position] = replace(self.elements[position], dual=True)
