"""Exports of cut comments: CSV and CMX3600 EDL, checked line by line and column by column."""

import csv
import io
import re

from contrechamp.feedback import exports

MARKERS = [
    exports.Marker(
        frame=25 * 65 + 12, author="Juliette", text="Le raccord\nest trop sec.", resolved=False
    ),
    exports.Marker(frame=0, author="Sébastien", text="=SUM(A1) ouverture", resolved=True),
]

EVENT = re.compile(
    r"^(?P<number>\d{3})  (?P<reel>.{8}) (?P<track>.{5}) (?P<transition>.{4}) (?P<duration>.{3}) "
    r"(?P<src_in>\d\d:\d\d:\d\d[:;]\d\d) (?P<src_out>\d\d:\d\d:\d\d[:;]\d\d) "
    r"(?P<rec_in>\d\d:\d\d:\d\d[:;]\d\d) (?P<rec_out>\d\d:\d\d:\d\d[:;]\d\d)$"
)


def test_csv_has_one_row_per_comment_in_timecode_order() -> None:
    content = exports.to_csv(
        MARKERS, frame_rate="25", header=["timecode", "author", "comment", "resolved"]
    )
    rows = list(csv.reader(io.StringIO(content)))
    assert rows == [
        ["timecode", "author", "comment", "resolved"],
        ["00:00:00:00", "Sébastien", "'=SUM(A1) ouverture", "yes"],
        ["00:01:05:12", "Juliette", "Le raccord\nest trop sec.", "no"],
    ]


def test_edl_header_and_events_follow_the_cmx3600_layout() -> None:
    content = exports.to_edl(MARKERS, title="La Calanque - Premier montage", frame_rate="25")
    assert content.endswith("\r\n")
    lines = content.split("\r\n")
    assert lines[0] == "TITLE: La Calanque - Premier montage"
    assert lines[1] == "FCM: NON-DROP FRAME"
    assert lines[2] == ""
    assert (
        lines[3] == "001  AX       V     C        00:00:00:00 00:00:00:01 00:00:00:00 00:00:00:01"
    )
    assert lines[4] == "* LOC: 00:00:00:00 GREEN   Sébastien: =SUM(A1) ouverture"
    assert lines[5] == "* COMMENT: Sébastien: =SUM(A1) ouverture"
    assert lines[6] == ""
    assert (
        lines[7] == "002  AX       V     C        00:01:05:12 00:01:05:13 00:01:05:12 00:01:05:13"
    )
    assert lines[8] == "* LOC: 00:01:05:12 RED     Juliette: Le raccord est trop sec."
    for line in (lines[3], lines[7]):
        match = EVENT.match(line)
        assert match is not None, line
        assert match["reel"].rstrip() == "AX" and match["track"].rstrip() == "V"
        assert match["transition"].rstrip() == "C" and match["duration"] == "   "
        # Column positions of the CMX3600 event line (0-based).
        assert line[0:3].isdigit() and line[5:13] == "AX      " and line[14:19] == "V    "
        assert line[20:24] == "C   " and line[29:40] == match["src_in"]
        assert line[41:52] == match["src_out"] and line[53:64] == match["rec_in"]
        assert line[65:76] == match["rec_out"] and len(line) == 76


def test_edl_in_drop_frame_says_so_and_uses_semicolons() -> None:
    content = exports.to_edl(
        [exports.Marker(1800, "Nora", "ici", False)], title="T", frame_rate="29.97df"
    )
    lines = content.split("\r\n")
    assert lines[1] == "FCM: DROP FRAME"
    assert lines[3].endswith("00:01:00;02 00:01:00;03 00:01:00;02 00:01:00;03")


def test_edl_text_is_one_line_without_control_characters_and_capped() -> None:
    marker = exports.Marker(0, "Nora", "a\x00b\r\n" + "x" * 600, False)
    lines = exports.to_edl([marker], title="T\nU", frame_rate="24").split("\r\n")
    assert lines[0] == "TITLE: T U"
    loc = lines[4]
    assert "\x00" not in loc and "\n" not in loc
    assert len(loc.removeprefix("* LOC: 00:00:00:00 RED     ")) <= exports.MAX_MARKER_TEXT


def test_edl_numbers_at_most_999_events() -> None:
    markers = [exports.Marker(i, "Nora", str(i), False) for i in range(1005)]
    events = [
        line
        for line in exports.to_edl(markers, title="T", frame_rate="25").split("\r\n")
        if EVENT.match(line)
    ]
    assert len(events) == 999 and events[-1].startswith("999  ")
