from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from contrechamp.core.errors import DomainError
from contrechamp.events import recurrence
from contrechamp.events.recurrence import Pattern, build_rule, expand, parse_rule

PARIS = ZoneInfo("Europe/Paris")
MONTREAL = ZoneInfo("America/Montreal")


def at(*parts):
    """A naive wall time: what a clock in the event's zone shows."""
    return datetime(*parts)  # noqa: DTZ001


def wall(moment):
    return moment.replace(tzinfo=None)


def exists(naive, zone):
    """Whether this wall time happens in `zone` (it does not inside a spring-forward gap)."""
    return wall(recurrence.place_in_zone(naive, zone)) == naive


# Parsing


def test_a_monthly_rule_on_the_first_thursday_is_read_and_written_canonically():
    assert parse_rule("RRULE:freq=monthly;byday=1TH;count=10") == "FREQ=MONTHLY;BYDAY=1TH;COUNT=10"


@pytest.mark.parametrize(
    "text",
    [
        "FREQ=WEEKLY",
        "FREQ=MONTHLY;BYDAY=1TH",
        "FREQ=WEEKLY;INTERVAL=2",
    ],
)
def test_a_rule_that_never_ends_is_refused(text):
    with pytest.raises(DomainError, match="must end"):
        parse_rule(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "garbage",
        "FREQ=DAILY;COUNT=3",
        "FREQ=YEARLY;COUNT=3",
        "FREQ=WEEKLY;COUNT=3;COUNT=4",
        "FREQ=WEEKLY;COUNT=0",
        "FREQ=WEEKLY;COUNT=-2",
        "FREQ=WEEKLY;COUNT=3;UNTIL=20270101",
        "FREQ=WEEKLY;BYDAY=1TH;COUNT=3",
        "FREQ=WEEKLY;BYMONTHDAY=3;COUNT=3",
        "FREQ=MONTHLY;BYDAY=9TH;COUNT=3",
        "FREQ=MONTHLY;BYMONTHDAY=0;COUNT=3",
        "FREQ=MONTHLY;BYMONTHDAY=32;COUNT=3",
        "FREQ=WEEKLY;INTERVAL=0;COUNT=3",
        "FREQ=WEEKLY;INTERVAL=999999999999;COUNT=3",
        "FREQ=WEEKLY;UNTIL=20261340",
        "FREQ=WEEKLY;BYSETPOS=1;COUNT=3",
        "FREQ=WEEKLY;COUNT=3" + ";X" * 300,
    ],
)
def test_a_rule_that_cannot_be_read_is_refused_with_a_message(text):
    with pytest.raises(DomainError):
        parse_rule(text)


def test_more_than_the_maximum_number_of_dates_is_refused():
    with pytest.raises(DomainError, match="at most 100 dates"):
        parse_rule("FREQ=WEEKLY;COUNT=101")


# Expansion


def test_the_first_thursday_of_each_month_keeps_20_30_across_both_changes_of_time():
    starts = expand("FREQ=MONTHLY;BYDAY=1TH;COUNT=12", at(2026, 1, 1, 20, 30), PARIS)

    assert [start.date() for start in starts[:4]] == [
        date(2026, 1, 1),
        date(2026, 2, 5),
        date(2026, 3, 5),
        date(2026, 4, 2),
    ]
    assert {start.time().isoformat() for start in starts} == {"20:30:00"}
    assert starts[2].utcoffset() == timedelta(hours=1)  # March 5th: winter time
    assert starts[3].utcoffset() == timedelta(hours=2)  # April 2nd: summer time
    assert starts[9].utcoffset() == timedelta(hours=2)  # October 1st: still summer time
    assert starts[10].utcoffset() == timedelta(hours=1)  # November 5th: winter time again
    assert starts[3].astimezone(UTC).hour == 18
    assert starts[10].astimezone(UTC).hour == 19


def test_a_weekly_rule_on_the_nights_the_clocks_change_keeps_its_wall_time():
    # Sundays around the last Sunday of March 2026 (29th) and of October 2026 (25th).
    march = expand("FREQ=WEEKLY;COUNT=3", at(2026, 3, 22, 20, 30), PARIS)
    october = expand("FREQ=WEEKLY;COUNT=3", at(2026, 10, 18, 20, 30), PARIS)

    assert [wall(start) for start in march] == [
        at(2026, 3, 22, 20, 30),
        at(2026, 3, 29, 20, 30),
        at(2026, 4, 5, 20, 30),
    ]
    assert [wall(start) for start in october] == [
        at(2026, 10, 18, 20, 30),
        at(2026, 10, 25, 20, 30),
        at(2026, 11, 1, 20, 30),
    ]


def test_a_time_in_the_spring_forward_gap_moves_forward_by_an_hour():
    starts = expand("FREQ=WEEKLY;COUNT=2", at(2026, 3, 22, 2, 30), PARIS)

    assert wall(starts[1]) == at(2026, 3, 29, 3, 30)
    assert starts[1].utcoffset() == timedelta(hours=2)


def test_a_repeated_autumn_time_is_the_first_of_the_two():
    starts = expand("FREQ=WEEKLY;COUNT=2", at(2026, 10, 18, 2, 30), PARIS)

    assert wall(starts[1]) == at(2026, 10, 25, 2, 30)
    assert starts[1].utcoffset() == timedelta(hours=2)


def test_until_in_utc_includes_the_last_local_day():
    rule = build_rule(
        pattern=Pattern.WEEKLY,
        first_start=at(2026, 5, 7, 20, 30),
        tz=PARIS,
        until=date(2026, 5, 28),
    )

    assert rule == "FREQ=WEEKLY;BYDAY=TH;UNTIL=20260528T215959Z"
    assert [start.day for start in expand(rule, at(2026, 5, 7, 20, 30), PARIS)] == [
        7,
        14,
        21,
        28,
    ]


def test_a_rule_running_past_two_years_is_refused():
    with pytest.raises(DomainError, match="two years"):
        expand("FREQ=MONTHLY;BYDAY=1TH;COUNT=30", at(2026, 1, 1, 20, 30), PARIS)
    with pytest.raises(DomainError, match="two years"):
        expand("FREQ=WEEKLY;UNTIL=20300101T000000Z", at(2026, 1, 1, 20, 30), PARIS)


def test_an_until_rule_giving_too_many_dates_is_refused():
    with pytest.raises(DomainError, match="at most 100 dates"):
        expand("FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20271201", at(2026, 1, 1, 20, 30), PARIS)


def test_a_rule_ending_before_the_first_date_is_refused():
    with pytest.raises(DomainError, match="ends before the first date"):
        expand("FREQ=WEEKLY;UNTIL=20251201", at(2026, 1, 1, 20, 30), PARIS)


def test_a_first_date_outside_the_rule_is_refused():
    # January 8th 2026 is the second Thursday, not the first.
    with pytest.raises(DomainError, match="follow the repetition rule"):
        expand("FREQ=MONTHLY;BYDAY=1TH;COUNT=3", at(2026, 1, 8, 20, 30), PARIS)


def test_a_rule_that_gives_no_date_stops_at_the_horizon():
    with pytest.raises(DomainError):
        expand("FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31;COUNT=2", at(2026, 4, 30, 20), PARIS)


# Building from the form's choices


@pytest.mark.parametrize(
    ("pattern", "start", "expected"),
    [
        (Pattern.WEEKLY, at(2026, 1, 1, 20, 30), "FREQ=WEEKLY;BYDAY=TH;COUNT=5"),
        (
            Pattern.EVERY_N_WEEKS,
            at(2026, 1, 1, 20, 30),
            "FREQ=WEEKLY;INTERVAL=3;BYDAY=TH;COUNT=5",
        ),
        (Pattern.MONTHLY_WEEKDAY, at(2026, 1, 1, 20, 30), "FREQ=MONTHLY;BYDAY=1TH;COUNT=5"),
        (
            Pattern.MONTHLY_WEEKDAY,
            at(2026, 1, 29, 20, 30),
            "FREQ=MONTHLY;BYDAY=-1TH;COUNT=5",
        ),
        (Pattern.MONTHLY_DAY, at(2026, 1, 15, 20, 30), "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=5"),
    ],
)
def test_the_form_choices_become_rules_that_start_on_the_first_date(pattern, start, expected):
    rule = build_rule(pattern=pattern, first_start=start, tz=PARIS, interval=3, count=5)

    assert rule == expected
    starts = expand(expected, start, PARIS)
    assert wall(starts[0]) == start
    assert len(starts) == 5


def test_no_repetition_gives_no_rule():
    assert build_rule(pattern=Pattern.NONE, first_start=at(2026, 1, 1), tz=PARIS) is None


def test_a_rule_reads_as_words():
    assert recurrence.describe("FREQ=MONTHLY;BYDAY=1TH;COUNT=10", PARIS) == (
        "Every month on the first Thursday, 10 dates"
    )
    assert recurrence.describe("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=3", PARIS) == (
        "Every 2 weeks, 3 dates"
    )


# Properties


@given(
    pattern=st.sampled_from(
        [Pattern.WEEKLY, Pattern.EVERY_N_WEEKS, Pattern.MONTHLY_WEEKDAY, Pattern.MONTHLY_DAY]
    ),
    day=st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    hour=st.integers(min_value=0, max_value=23),
    minute=st.sampled_from([0, 15, 30, 45]),
    count=st.integers(min_value=1, max_value=20),
    zone=st.sampled_from([PARIS, MONTREAL, ZoneInfo("Australia/Sydney")]),
)
def test_every_occurrence_keeps_its_wall_time_and_the_count_is_honoured(
    pattern, day, hour, minute, count, zone
):
    # Not every month has a 29th to 31st: such a rule is checked by the tests above.
    assume(pattern != Pattern.MONTHLY_DAY or day.day <= 28)
    start = at(day.year, day.month, day.day, hour, minute)
    rule = build_rule(pattern=pattern, first_start=start, tz=zone, interval=2, count=count)
    assert rule is not None

    starts = expand(rule, start, zone)

    assert len(starts) == count
    for occurrence in starts:
        assert occurrence.tzinfo is zone
        naive_rule_time = wall(occurrence).replace(hour=hour, minute=minute)
        if exists(naive_rule_time, zone):
            assert (occurrence.hour, occurrence.minute) == (hour, minute)
        else:
            # Inside a spring-forward gap: moved forward, never backward.
            assert wall(occurrence) > naive_rule_time
    assert starts == sorted(starts)
