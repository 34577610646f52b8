"""Recurring events as RFC 5545 rules: build one from the form's simple choices, check
that a rule ends, expand it into the start times of its occurrences.

A rule is expanded in local wall time, then placed in the event's time zone: the monthly
night at 20:30 stays at 20:30 in Paris in winter and in summer, though its UTC time moves
by an hour. Two wall times need a decision on days when the clocks change:
- a time that does not exist (inside the spring-forward gap: 02:30 on the last Sunday of
  March in Paris) is read with the offset in force before the change, so it moves forward
  by the length of the gap (02:30 becomes 03:30);
- a time that happens twice (the autumn hour repeated) is the first of the two, in summer
  time.

Every rule must end (COUNT or UNTIL), give at most `MAX_OCCURRENCES` dates and stay within
`MAX_SPAN` of the first: each occurrence is a row of its own (with its RSVPs and films).
"""

import itertools
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from contrechamp.core.errors import DomainError

MAX_OCCURRENCES = 100
MAX_SPAN = relativedelta(years=2)
MAX_INTERVAL = 52
MAX_RULE_LENGTH = 500

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQUENCIES: dict[str, Literal[1, 2]] = {"WEEKLY": WEEKLY, "MONTHLY": MONTHLY}
_BY_DAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL = re.compile(r"^(\d{8})(T(\d{6})(Z?))?$")


class Pattern(models.TextChoices):
    """The repetitions the event form offers; each becomes one RFC 5545 rule."""

    NONE = "none", gettext_lazy("Does not repeat")
    WEEKLY = "weekly", gettext_lazy("Every week, on the same day")
    EVERY_N_WEEKS = "every_n_weeks", gettext_lazy("Every few weeks, on the same day")
    MONTHLY_WEEKDAY = (
        "monthly_weekday",
        gettext_lazy("Every month, on the same weekday (the first Thursday, say)"),
    )
    MONTHLY_DAY = "monthly_day", gettext_lazy("Every month, on the same date")


@dataclass(frozen=True)
class Rule:
    """A parsed rule. `by_day` holds (ordinal, weekday) pairs, ordinal 0 meaning every such
    day, weekday 0 Monday; `until` keeps its RFC 5545 text (a date, a local date-time or a
    UTC date-time ending in Z)."""

    frequency: str
    interval: int = 1
    by_day: tuple[tuple[int, int], ...] = ()
    by_month_day: tuple[int, ...] = ()
    week_start: str = ""
    count: int | None = None
    until: str = ""

    def __str__(self) -> str:
        parts = [f"FREQ={self.frequency}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.by_day:
            days = ",".join(f"{ordinal or ''}{DAY_CODES[day]}" for ordinal, day in self.by_day)
            parts.append(f"BYDAY={days}")
        if self.by_month_day:
            parts.append("BYMONTHDAY=" + ",".join(str(day) for day in self.by_month_day))
        if self.week_start:
            parts.append(f"WKST={self.week_start}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until:
            parts.append(f"UNTIL={self.until}")
        return ";".join(parts)


def _number(value: str, low: int, high: int, message: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,4}", value):
        raise DomainError(message)
    number = int(value)
    if not low <= number <= high:
        raise DomainError(message)
    return number


def _until_value(value: str) -> str:
    found = _UNTIL.match(value)
    if found is None:
        raise DomainError(_("The end date of the repetition is not a valid date."))
    try:
        datetime.strptime(found.group(1) + (found.group(3) or "000000"), "%Y%m%d%H%M%S")  # noqa: DTZ007 - only checks the digits form a date
    except ValueError:
        raise DomainError(_("The end date of the repetition is not a valid date.")) from None
    return value


def _parse(text: str) -> Rule:
    """The rule in `text` (an RRULE value, with or without its "RRULE:" prefix), checked."""
    cleaned = "".join(str(text).split()).upper()
    if cleaned.startswith("RRULE:"):
        cleaned = cleaned.removeprefix("RRULE:")
    if not cleaned or len(cleaned) > MAX_RULE_LENGTH:
        raise DomainError(_("This repetition rule is empty or too long."))
    fields: dict[str, str] = {}
    for part in cleaned.split(";"):
        key, sep, value = part.partition("=")
        if not sep or not value or key in fields:
            raise DomainError(_("This repetition rule cannot be read."))
        fields[key] = value
    unknown = set(fields) - {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "WKST", "COUNT", "UNTIL"}
    if unknown:
        raise DomainError(
            _("This repetition rule uses parts we do not support: %(parts)s.")
            % {"parts": ", ".join(sorted(unknown))}
        )
    frequency = fields.get("FREQ", "")
    if frequency not in FREQUENCIES:
        raise DomainError(_("An event repeats every week or every month."))
    interval = _number(
        fields.get("INTERVAL", "1"),
        1,
        MAX_INTERVAL,
        _("The interval of a repetition is a whole number from 1 to %(max)d.")
        % {"max": MAX_INTERVAL},
    )
    by_day: list[tuple[int, int]] = []
    for item in fields["BYDAY"].split(",") if "BYDAY" in fields else []:
        found = _BY_DAY.match(item)
        if found is None or (found.group(1) and frequency != "MONTHLY"):
            raise DomainError(_("The days of this repetition rule cannot be read."))
        ordinal = int(found.group(1)) if found.group(1) else 0
        by_day.append((ordinal, DAY_CODES.index(found.group(2))))
    if len(by_day) != len(set(by_day)):
        raise DomainError(_("The days of this repetition rule cannot be read."))
    by_month_day: list[int] = []
    if "BYMONTHDAY" in fields:
        if frequency != "MONTHLY":
            raise DomainError(_("Only a monthly repetition can name days of the month."))
        for item in fields["BYMONTHDAY"].split(","):
            day = _number(item, -31, 31, _("The days of this repetition rule cannot be read."))
            if day == 0 or day in by_month_day:
                raise DomainError(_("The days of this repetition rule cannot be read."))
            by_month_day.append(day)
    week_start = fields.get("WKST", "")
    if week_start and week_start not in DAY_CODES:
        raise DomainError(_("The days of this repetition rule cannot be read."))
    if "COUNT" in fields and "UNTIL" in fields:
        raise DomainError(_("A repetition ends after a number of dates or on a date, not both."))
    if "COUNT" not in fields and "UNTIL" not in fields:
        raise DomainError(
            _("A repetition must end: give a number of dates or the date of the last one.")
        )
    count = None
    if "COUNT" in fields:
        if not fields["COUNT"].isdigit() or int(fields["COUNT"]) < 1:
            raise DomainError(_("The number of dates must be a whole number, at least 1."))
        count = int(fields["COUNT"])
        if count > MAX_OCCURRENCES:
            raise DomainError(_too_many())
    return Rule(
        frequency=frequency,
        interval=interval,
        by_day=tuple(by_day),
        by_month_day=tuple(by_month_day),
        week_start=week_start,
        count=count,
        until=_until_value(fields["UNTIL"]) if "UNTIL" in fields else "",
    )


def _too_many() -> str:
    return _("A repetition can give at most %(max)d dates: split it into several.") % {
        "max": MAX_OCCURRENCES
    }


def parse_rule(text: str) -> str:
    """The rule in its canonical RRULE form (without the "RRULE:" prefix).

    Raise DomainError, with a message a person can read, for a rule that cannot be read,
    that never ends (no COUNT nor UNTIL), or that asks for more than `MAX_OCCURRENCES`
    dates. Whether its dates stay within `MAX_SPAN` depends on the first start: `expand`
    checks it."""
    return str(_parse(text))


def _until_local(until: str, tz: ZoneInfo) -> datetime:
    """The last moment the rule may reach, as a naive wall time in `tz`."""
    found = _UNTIL.match(until)
    assert found is not None  # noqa: S101 - checked by _parse
    day = datetime.strptime(found.group(1), "%Y%m%d")  # noqa: DTZ007 - a calendar date
    if not found.group(2):
        return datetime.combine(day.date(), time.max)
    moment = datetime.strptime(found.group(1) + found.group(3), "%Y%m%d%H%M%S")  # noqa: DTZ007
    if found.group(4):
        return moment.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)
    return moment


def place_in_zone(wall_time: datetime, tz: ZoneInfo) -> datetime:
    """A naive wall time made aware in `tz`: a time inside a spring-forward gap moves
    forward by the gap, a repeated autumn time is the first of the two."""
    return wall_time.replace(tzinfo=tz, fold=0).astimezone(UTC).astimezone(tz)


def expand(rule: str, first_start: datetime, tz: ZoneInfo) -> list[datetime]:
    """The start of every occurrence, aware in `tz`, the first being `first_start`.

    `first_start` is the naive wall time of the first occurrence in `tz`; the rule is
    expanded in wall time (see the module's docstring for the days the clocks change).
    Raise DomainError when `first_start` is not itself a date of the rule, when the rule
    gives more than `MAX_OCCURRENCES` dates, or when its dates run past `MAX_SPAN`."""
    parsed = _parse(rule)
    if first_start.tzinfo is not None:
        raise ValueError("first_start must be a naive wall time")
    horizon = first_start + MAX_SPAN
    until = horizon
    if parsed.until:
        until = _until_local(parsed.until, tz)
        if until > horizon:
            raise DomainError(_("A repetition can last two years at most."))
    recurrence = rrule(
        FREQUENCIES[parsed.frequency],
        dtstart=first_start,
        interval=parsed.interval,
        until=until,
        byweekday=[weekday(day, ordinal or None) for ordinal, day in parsed.by_day] or None,
        bymonthday=list(parsed.by_month_day) or None,
        wkst=DAY_CODES.index(parsed.week_start) if parsed.week_start else None,
    )
    # The rule is read up to the horizon only: COUNT is then the first dates of those, the
    # same dates RFC 5545 gives, and an impossible rule ends its search there.
    starts: list[datetime] = list(itertools.islice(recurrence, MAX_OCCURRENCES + 1))
    if parsed.count is not None:
        if len(starts) < parsed.count:
            raise DomainError(
                _("These %(count)d dates would run past two years: give fewer.")
                % {"count": parsed.count}
            )
        starts = starts[: parsed.count]
    elif len(starts) > MAX_OCCURRENCES:
        raise DomainError(_too_many())
    if not starts:
        raise DomainError(_("The repetition ends before the first date of the event."))
    if starts[0] != first_start:
        raise DomainError(_("The first date of the event must itself follow the repetition rule."))
    return [place_in_zone(start, tz) for start in starts]


def month_weekday_ordinal(day: date) -> int:
    """Which of its month's weekdays `day` is: 1 for the first Thursday … 4, and -1 for a
    fifth one (the last: not every month has a fifth)."""
    ordinal = (day.day - 1) // 7 + 1
    return -1 if ordinal == 5 else ordinal


def build_rule(
    *,
    pattern: str,
    first_start: datetime,
    tz: ZoneInfo,
    interval: int = 1,
    count: int | None = None,
    until: date | None = None,
) -> str | None:
    """The RRULE for the form's choices (None: the event does not repeat).

    `first_start` is the naive wall time of the first date: the weekday or the day of the
    month comes from it. `until` is the last local day dates may fall on; it is written in
    UTC, as RFC 5545 asks of a rule whose start has a time zone."""
    if pattern == Pattern.NONE:
        return None
    day = first_start.weekday()
    if pattern == Pattern.WEEKLY:
        rule = Rule(frequency="WEEKLY", by_day=((0, day),))
    elif pattern == Pattern.EVERY_N_WEEKS:
        rule = Rule(frequency="WEEKLY", interval=interval, by_day=((0, day),))
    elif pattern == Pattern.MONTHLY_WEEKDAY:
        rule = Rule(frequency="MONTHLY", by_day=((month_weekday_ordinal(first_start.date()), day),))
    elif pattern == Pattern.MONTHLY_DAY:
        rule = Rule(frequency="MONTHLY", by_month_day=(first_start.day,))
    else:
        raise DomainError(_("Choose how the event repeats."))
    if until is not None:
        last_moment = place_in_zone(datetime.combine(until, time(23, 59, 59)), tz)
        rule = replace(rule, until=last_moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"))
    else:
        rule = replace(rule, count=count)
    return parse_rule(str(rule))


_ORDINAL_SENTENCES = {
    1: gettext_lazy("Every month on the first %(weekday)s"),
    2: gettext_lazy("Every month on the second %(weekday)s"),
    3: gettext_lazy("Every month on the third %(weekday)s"),
    4: gettext_lazy("Every month on the fourth %(weekday)s"),
    5: gettext_lazy("Every month on the fifth %(weekday)s"),
    -1: gettext_lazy("Every month on the last %(weekday)s"),
}


def describe(rule: str, tz: ZoneInfo) -> str:
    """The rule in words, for the event page ("Every month on the first Thursday, 10
    dates"); a rule the form cannot build is described less precisely."""
    from django.utils.dates import WEEKDAYS

    try:
        parsed = _parse(rule)
    except DomainError:
        return _("Repeats")
    if parsed.frequency == "WEEKLY" and len(parsed.by_day) <= 1 and not parsed.by_month_day:
        if parsed.interval == 1:
            sentence = _("Every week")
        else:
            sentence = ngettext(
                "Every %(number)d week", "Every %(number)d weeks", parsed.interval
            ) % {"number": parsed.interval}
    elif (
        parsed.frequency == "MONTHLY"
        and len(parsed.by_day) == 1
        and parsed.by_day[0][0] in _ORDINAL_SENTENCES
        and parsed.interval == 1
    ):
        ordinal, day = parsed.by_day[0]
        sentence = str(_ORDINAL_SENTENCES[ordinal]) % {"weekday": WEEKDAYS[day]}
    elif parsed.frequency == "MONTHLY" and len(parsed.by_month_day) == 1 and parsed.interval == 1:
        sentence = _("Every month on day %(day)d") % {"day": parsed.by_month_day[0]}
    else:
        sentence = _("Repeats")
    if parsed.count is not None:
        return ngettext(
            "%(sentence)s, %(count)d date", "%(sentence)s, %(count)d dates", parsed.count
        ) % {
            "sentence": sentence,
            "count": parsed.count,
        }
    last = _until_local(parsed.until, tz).date()
    return _("%(sentence)s, until %(date)s") % {
        "sentence": sentence,
        "date": formats.date_format(last, "DATE_FORMAT"),
    }
