"""SMPTE timecodes: reading what people type, writing frame counts back, drop-frame."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contrechamp.core.errors import DomainError
from contrechamp.feedback import timecode


@pytest.mark.parametrize(
    ("text", "rate", "frames"),
    [
        ("00:00:00:00", "25", 0),
        ("00:00:01:00", "25", 25),
        ("01:00:00:00", "24", 86400),
        ("00:01:23:12", "23.976", (60 + 23) * 24 + 12),
        ("00:00:10", "30", 300),
        ("00:01:00;02", "29.97df", 1800),
        ("00:10:00;00", "29.97df", 17982),
        ("00:01:00:00", "29.97ndf", 1800),
    ],
)
def test_it_reads_timecodes(text: str, rate: str, frames: int) -> None:
    assert timecode.parse(text, rate) == frames


@pytest.mark.parametrize(
    ("text", "rate", "message"),
    [
        ("1:2:3", "25", "HH:MM:SS:FF"),
        ("abc", "25", "HH:MM:SS:FF"),
        ("00:00:00:25", "25", "frames go from 00 to 24"),
        ("00:00:00:24", "24", "frames go from 00 to 23"),
        ("00:00:00:30", "29.97df", "frames go from 00 to 29"),
        ("00:61:00:00", "25", "Minutes and seconds"),
        ("00:01:00;00", "29.97df", "skips frames 00 and 01"),
        ("00:01:00;01", "29.97df", "write 00:01:00;02"),
    ],
)
def test_it_explains_what_is_wrong(text: str, rate: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        timecode.parse(text, rate)


def test_a_timecode_after_the_end_of_the_cut_is_refused() -> None:
    duration = timecode.parse("00:10:00:00", "25")
    assert timecode.parse("00:09:59:24", "25", duration_frames=duration) == duration - 1
    with pytest.raises(DomainError, match=r"after the end of the cut \(00:09:59:24\)"):
        timecode.parse("00:10:00:00", "25", duration_frames=duration)


def test_minute_ten_keeps_its_first_frames_in_drop_frame() -> None:
    assert timecode.parse("00:10:00;00", "29.97df") == 17982
    assert timecode.format_frames(17982, "29.97df") == "00:10:00;00"
    assert timecode.format_frames(1799, "29.97df") == "00:00:59;29"
    assert timecode.format_frames(1800, "29.97df") == "00:01:00;02"


def test_playback_seconds_to_frames() -> None:
    assert timecode.seconds_to_frames(1.0, "25") == 25
    assert timecode.seconds_to_frames(1001 / 1000, "29.97ndf") == 30
    assert timecode.frames_to_seconds(24, "23.976") == pytest.approx(1.001)


@given(
    st.sampled_from(list(timecode.RATES)), st.integers(min_value=0, max_value=24 * 3600 * 24 - 1)
)
def test_format_then_parse_gives_the_same_frame(rate: str, frames: int) -> None:
    text = timecode.format_frames(frames, rate)
    assert timecode.parse(text, rate) == frames


@given(st.text(max_size=30), st.sampled_from(list(timecode.RATES)))
def test_any_text_is_a_timecode_or_a_clear_refusal(text: str, rate: str) -> None:
    try:
        frames = timecode.parse(text, rate)
    except DomainError as error:
        assert str(error.message)
    else:
        assert frames >= 0
