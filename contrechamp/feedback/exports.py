"""Cut comments as editing markers: a CSV table and a CMX3600 EDL.

The EDL has one event per comment, one frame long at the comment's timecode, followed by
an Avid-style locator line (`* LOC: 01:00:05:12 RED     text`) that editing software
imports as a marker, and the comment text. Event lines follow the CMX3600 columns:

    001  AX       V     C        00:00:05:12 00:00:05:13 00:00:05:12 00:00:05:13
    |    |        |     |        source in   source out  record in   record out
    |    reel (8) track (5)  transition (4), then a blank duration field (3)
    event number (3)
"""

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from contrechamp.feedback import timecode

REEL = "AX"
TRACK = "V"
TRANSITION = "C"
# Locator colours: open comments stand out, resolved ones are quieter.
OPEN_COLOUR = "RED"
RESOLVED_COLOUR = "GREEN"
MAX_MARKER_TEXT = 250
# CMX3600 numbers events on three digits.
MAX_EVENTS = 999


@dataclass(frozen=True)
class Marker:
    frame: int
    author: str
    text: str
    resolved: bool


def _one_line(text: str, limit: int = MAX_MARKER_TEXT) -> str:
    """Text on one line without control characters, at most `limit` characters."""
    cleaned = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"


def _csv_cell(value: str) -> str:
    # A cell starting with = + - @ is a formula for spreadsheets: quote it as text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(markers: Iterable[Marker], *, frame_rate: str, header: Iterable[str]) -> str:
    """A CSV table: timecode, author, comment, resolved (yes/no), in timecode order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(list(header))
    for marker in sorted(markers, key=lambda m: m.frame):
        writer.writerow(
            [
                timecode.format_frames(marker.frame, frame_rate),
                _csv_cell(marker.author),
                _csv_cell(marker.text),
                "yes" if marker.resolved else "no",
            ]
        )
    return buffer.getvalue()


def event_line(number: int, frame: int, frame_rate: str) -> str:
    """One CMX3600 event, one frame long at `frame`, source and record alike."""
    start = timecode.format_frames(frame, frame_rate)
    end = timecode.format_frames(frame + 1, frame_rate)
    return f"{number:03d}  {REEL:<8} {TRACK:<5} {TRANSITION:<4} {'':<3} {start} {end} {start} {end}"


def to_edl(markers: Iterable[Marker], *, title: str, frame_rate: str) -> str:
    """A CMX3600 EDL with one marker event per comment, in timecode order; past
    `MAX_EVENTS` comments, the later ones are left out (the CSV has them all)."""
    rate = timecode.rate_of(frame_rate)
    lines = [
        f"TITLE: {_one_line(title, 70)}",
        "FCM: DROP FRAME" if rate.drop_frame else "FCM: NON-DROP FRAME",
        "",
    ]
    for number, marker in enumerate(sorted(markers, key=lambda m: m.frame)[:MAX_EVENTS], start=1):
        colour = RESOLVED_COLOUR if marker.resolved else OPEN_COLOUR
        text = _one_line(f"{marker.author}: {marker.text}")
        lines.append(event_line(number, marker.frame, frame_rate))
        at = timecode.format_frames(marker.frame, frame_rate)
        lines.append(f"* LOC: {at} {colour:<7} {text}")
        lines.append(f"* COMMENT: {text}")
        lines.append("")
    return "\r\n".join(lines) + "\r\n"
