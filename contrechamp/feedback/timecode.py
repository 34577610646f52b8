"""SMPTE timecodes (HH:MM:SS:FF) at the frame rates cuts are edited in.

A timecode is stored as a frame count from 00:00:00:00; `parse` reads what a person types
and says clearly what is wrong, `format_frames` writes it back. Drop-frame 29.97 skips frame
numbers 00 and 01 at the start of every minute except each tenth, and is written with a
semicolon before the frames (01:00:00;00).
"""

import math
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contrechamp.core.errors import DomainError


class FrameRate(models.TextChoices):
    FPS_23_976 = "23.976", gettext_lazy("23.976 fps")
    FPS_24 = "24", gettext_lazy("24 fps")
    FPS_25 = "25", gettext_lazy("25 fps")
    FPS_29_97_DF = "29.97df", gettext_lazy("29.97 fps drop-frame")
    FPS_29_97_NDF = "29.97ndf", gettext_lazy("29.97 fps non-drop-frame")
    FPS_30 = "30", gettext_lazy("30 fps")


@dataclass(frozen=True)
class Rate:
    # Frames counted per timecode second (the FF field goes from 0 to nominal - 1).
    nominal: int
    # Frames the video actually shows per second, as a fraction.
    numerator: int
    denominator: int
    drop_frame: bool

    @property
    def per_second(self) -> float:
        return self.numerator / self.denominator


RATES: dict[str, Rate] = {
    FrameRate.FPS_23_976: Rate(24, 24000, 1001, drop_frame=False),
    FrameRate.FPS_24: Rate(24, 24, 1, drop_frame=False),
    FrameRate.FPS_25: Rate(25, 25, 1, drop_frame=False),
    FrameRate.FPS_29_97_DF: Rate(30, 30000, 1001, drop_frame=True),
    FrameRate.FPS_29_97_NDF: Rate(30, 30000, 1001, drop_frame=False),
    FrameRate.FPS_30: Rate(30, 30, 1, drop_frame=False),
}

_TIMECODE = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})[:;.](\d{2})$")
_SHORT = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})$")
# Drop-frame drops 2 frame numbers a minute, except every tenth minute.
_DROPPED = 2
_FRAMES_PER_10_MINUTES_DF = 10 * 60 * 30 - 9 * _DROPPED
_FRAMES_PER_MINUTE_DF = 60 * 30 - _DROPPED
MAX_HOURS = 24


def rate_of(frame_rate: str) -> Rate:
    return RATES[frame_rate]


def to_frames(hours: int, minutes: int, seconds: int, frames: int, rate: Rate) -> int:
    nominal = rate.nominal
    total_minutes = hours * 60 + minutes
    count = ((total_minutes * 60) + seconds) * nominal + frames
    if rate.drop_frame:
        count -= _DROPPED * (total_minutes - total_minutes // 10)
    return count


def format_frames(frame_count: int, frame_rate: str) -> str:
    """HH:MM:SS:FF (HH:MM:SS;FF in drop-frame) of a frame count from zero."""
    rate = rate_of(frame_rate)
    count = max(frame_count, 0)
    if rate.drop_frame:
        tens, rest = divmod(count, _FRAMES_PER_10_MINUTES_DF)
        if rest > _DROPPED:
            count += 9 * _DROPPED * tens + _DROPPED * ((rest - _DROPPED) // _FRAMES_PER_MINUTE_DF)
        else:
            count += 9 * _DROPPED * tens
    frames = count % rate.nominal
    seconds = (count // rate.nominal) % 60
    minutes = (count // (rate.nominal * 60)) % 60
    hours = count // (rate.nominal * 3600)
    separator = ";" if rate.drop_frame else ":"
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{frames:02d}"


def parse(text: str, frame_rate: str, *, duration_frames: int | None = None) -> int:
    """The frame count of a timecode a person typed: HH:MM:SS:FF (or HH:MM:SS, frame 0).
    Raises DomainError saying what is wrong: the format, frames beyond the rate, a frame
    number drop-frame skips, or a time after the end of the cut (`duration_frames`)."""
    rate = rate_of(frame_rate)
    cleaned = text.strip()
    found = _TIMECODE.match(cleaned) or _SHORT.match(cleaned)
    if found is None:
        raise DomainError(
            _(
                "Write the timecode as HH:MM:SS:FF (hours, minutes, seconds, frames), "
                "e.g. 00:01:23:12."
            )
        )
    groups = found.groups()
    hours, minutes, seconds = int(groups[0]), int(groups[1]), int(groups[2])
    frames = int(groups[3]) if len(groups) == 4 else 0
    if minutes > 59 or seconds > 59:
        raise DomainError(_("Minutes and seconds go from 00 to 59."))
    if hours >= MAX_HOURS:
        raise DomainError(_("Hours go from 00 to 23."))
    if frames >= rate.nominal:
        raise DomainError(
            _("At %(rate)s fps the frames go from 00 to %(last)02d.")
            % {"rate": _rate_label(frame_rate), "last": rate.nominal - 1}
        )
    if rate.drop_frame and seconds == 0 and frames < _DROPPED and minutes % 10 != 0:
        raise DomainError(
            _(
                "Drop-frame timecode skips frames 00 and 01 at the start of each minute "
                "(except every tenth): write %(next)s."
            )
            % {"next": f"{hours:02d}:{minutes:02d}:00;02"}
        )
    count = to_frames(hours, minutes, seconds, frames, rate)
    if duration_frames is not None and count >= max(duration_frames, 1):
        raise DomainError(
            _("This timecode is after the end of the cut (%(end)s).")
            % {"end": format_frames(max(duration_frames - 1, 0), frame_rate)}
        )
    return count


def _rate_label(frame_rate: str) -> str:
    return re.sub(r"[a-z]+$", "", frame_rate)


def seconds_to_frames(seconds: float, frame_rate: str) -> int:
    """The frame shown at `seconds` of playback."""
    rate = rate_of(frame_rate)
    # A microsecond of tolerance: 1.001 s at 30000/1001 fps is frame 30, not 29.999….
    return math.floor(seconds * rate.numerator / rate.denominator + 1e-6)


def frames_to_seconds(frame_count: int, frame_rate: str) -> float:
    rate = rate_of(frame_rate)
    return frame_count * rate.denominator / rate.numerator
