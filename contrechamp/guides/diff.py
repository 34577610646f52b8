"""The difference between two versions of a guide, line by line (difflib), as rows a
template shows in a table: each row is a line kept, removed or added, with its numbers in
the older and the newer text."""

import difflib
from dataclasses import dataclass
from typing import Literal

from contrechamp.guides.models import Guide, GuideVersion

# Lines beyond this are not compared: a diff of two 100,000-character texts stays readable
# and quick (difflib is quadratic at worst).
LINES_MAX = 5000
# Unchanged lines shown around each change; longer unchanged runs are folded.
CONTEXT = 3

type Change = Literal["same", "removed", "added", "folded"]


@dataclass(frozen=True)
class DiffLine:
    change: Change
    text: str
    old_number: int | None = None
    new_number: int | None = None


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str
    new: str


@dataclass(frozen=True)
class VersionDiff:
    older: GuideVersion
    newer: GuideVersion
    fields: list[FieldChange]
    lines: list[DiffLine]
    truncated: bool

    @property
    def body_changed(self) -> bool:
        return any(line.change in ("removed", "added") for line in self.lines)


def diff_lines(old: str, new: str, *, context: int = CONTEXT) -> tuple[list[DiffLine], bool]:
    """The lines of `old` and `new` compared, unchanged runs folded to `context` lines
    around each change; and whether the texts were too long to compare in full."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    truncated = len(old_lines) > LINES_MAX or len(new_lines) > LINES_MAX
    old_lines, new_lines = old_lines[:LINES_MAX], new_lines[:LINES_MAX]
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows: list[DiffLine] = []
    for group in matcher.get_grouped_opcodes(context):
        if rows or group[0][1] > 0:
            rows.append(DiffLine("folded", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(
                    DiffLine("same", old_lines[i], old_number=i + 1, new_number=j1 + (i - i1) + 1)
                    for i in range(i1, i2)
                )
                continue
            rows.extend(DiffLine("removed", old_lines[i], old_number=i + 1) for i in range(i1, i2))
            rows.extend(DiffLine("added", new_lines[j], new_number=j + 1) for j in range(j1, j2))
    return rows, truncated


def _shown(version: GuideVersion, name: str) -> str:
    if name == "kind":
        return str(Guide.Kind(version.kind).label)
    if name == "tags":
        return ", ".join(version.tag_list)
    return str(getattr(version, name))


def compare(older: GuideVersion, newer: GuideVersion, labels: dict[str, str]) -> VersionDiff:
    """`labels` names the fields (kind, title, summary, tags) in the reader's language."""
    fields = [
        FieldChange(labels[name], _shown(older, name), _shown(newer, name))
        for name in ("kind", "title", "summary", "tags")
        if getattr(older, name) != getattr(newer, name)
    ]
    lines, truncated = diff_lines(older.body, newer.body)
    return VersionDiff(older=older, newer=newer, fields=fields, lines=lines, truncated=truncated)
