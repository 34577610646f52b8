"""Calendar (RFC 5545) and Atom feeds of events and networks, read back as a client would:
every .ics is parsed with `icalendar`, a series' rule is expanded with dateutil and must
give exactly the occurrences the club holds."""

from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import icalendar
import pytest
import time_machine
from dateutil.rrule import rrulestr
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from zeal import zeal_ignore

from contrechamp.events.models import Event, EventSeries, Screening
from contrechamp.events.tests.conftest import PARIS, next_week_at

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
RULE = "FREQ=MONTHLY;BYDAY=1TH;COUNT=6"
HOST = urlsplit(settings.SITE_URL).hostname


def calendar_of(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar: icalendar.Calendar) -> list[Any]:
    return list(calendar.walk("VEVENT"))


def by_summary(calendar: icalendar.Calendar, summary: str) -> list[Any]:
    return [e for e in vevents(calendar) if str(e.get("summary")) == summary]


def network_feed(client, club) -> icalendar.Calendar:
    return calendar_of(client.get(reverse("events:network_ics", args=[club.slug])))


def first_thursdays(count: int) -> list[datetime]:
    """The first Thursdays of the coming months at 20:30 in Paris (the club's rule), the
    winter and summer sides of a clock change included."""
    today = timezone.localdate(timezone=PARIS)
    month = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    wall_time = datetime(month.year, month.month, 1, 20, 30)  # noqa: DTZ001 - zone added below
    rule = rrulestr(RULE, dtstart=wall_time)
    return [start.replace(tzinfo=PARIS) for start in list(rule)[:count]]


def make_series(club, organiser, venue, film, *, title="Ciné-club du jeudi", **fields):
    """The monthly night as the events service stores it: a series and one row per date."""
    starts = first_thursdays(6)
    series = EventSeries.objects.create(
        network=club,
        rule=RULE,
        time_zone="Europe/Paris",
        first_starts_at=starts[0],
        created_by=organiser,
    )
    occurrences = []
    with zeal_ignore():
        for start in starts:
            occurrence = Event.objects.create(
                network=club,
                kind=Event.Kind.SCREENING,
                title=title,
                venue=venue,
                latitude=venue.latitude,
                longitude=venue.longitude,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                time_zone="Europe/Paris",
                status=fields.get("status", Event.Status.PUBLISHED),
                visibility=fields.get("visibility", Event.Visibility.PUBLIC),
                published_at=timezone.now(),
                series=series,
                recurrence_id=start,
                created_by=organiser,
            )
            Screening.objects.create(
                event=occurrence, film=film, rights_status=Screening.RightsStatus.PUBLIC_DOMAIN
            )
            occurrences.append(occurrence)
    return series, occurrences


@pytest.fixture(autouse=True)
def _late_november():
    """The coming six first Thursdays run from December to May: across the change to
    summer time at the end of March."""
    with time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=PARIS)):
        yield


@pytest.fixture
def series(club, organiser, venue, film):
    return make_series(club, organiser, venue, film)


def update(event: Event, **fields) -> Event:
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now(), **fields)
    event.refresh_from_db()
    return event


# One event


def test_an_event_file_holds_one_vevent_in_the_paris_time_zone(client, event):
    calendar = calendar_of(client.get(reverse("events:event_ics", args=[event.pk])))

    (vevent,) = vevents(calendar)
    assert str(vevent["uid"]) == f"event-{event.pk}@{HOST}"
    start = vevent["dtstart"]
    assert start.params["TZID"] == "Europe/Paris"
    assert (start.dt.hour, start.dt.minute) == (20, 30)
    assert start.dt == event.starts_at
    assert vevent.decoded("dtend") == event.ends_at
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(calendar["x-published-ttl"]) == "PT1H"
    assert str(vevent["summary"]) == event.title
    assert str(vevent["location"]) == (
        "Médiathèque du Bachut, 2 place du 11 Novembre 1918, 69008 Lyon"
    )
    assert str(vevent["status"]) == "CONFIRMED"
    assert str(vevent["url"]) == f"{settings.SITE_URL}/events/{event.pk}/"
    assert "Le Voyage dans la Lune (1902)" in str(vevent["description"])
    assert "dtstamp" in vevent
    assert "last-modified" in vevent


def test_the_same_event_keeps_the_same_uid(client, event):
    first = vevents(calendar_of(client.get(reverse("events:event_ics", args=[event.pk]))))
    again = vevents(calendar_of(client.get(reverse("events:event_ics", args=[event.pk]))))

    assert str(first[0]["uid"]) == str(again[0]["uid"])


def test_a_cancelled_event_says_so(client, event):
    update(event, status=Event.Status.CANCELLED, cancellation_reason="Projecteur en panne")

    (vevent,) = vevents(calendar_of(client.get(reverse("events:event_ics", args=[event.pk]))))

    assert str(vevent["status"]) == "CANCELLED"
    assert "Projecteur en panne" in str(vevent["description"])


def test_an_online_event_gives_its_link_as_location(client, event):
    update(event, venue=None, online_url="https://watch.example.org/room/42")

    (vevent,) = vevents(calendar_of(client.get(reverse("events:event_ics", args=[event.pk]))))

    assert str(vevent["location"]) == "https://watch.example.org/room/42"


def test_an_event_in_another_time_zone_keeps_its_zone(client, event):
    update(event, time_zone="America/Montreal")

    calendar = calendar_of(client.get(reverse("events:event_ics", args=[event.pk])))

    (vevent,) = vevents(calendar)
    assert vevent["dtstart"].params["TZID"] == "America/Montreal"
    assert vevent.decoded("dtstart") == event.starts_at
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Montreal"]


def test_a_members_only_event_file_is_for_members(client, event, member, outsider):
    update(event, visibility=Event.Visibility.MEMBERS)
    url = reverse("events:event_ics", args=[event.pk])

    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(member)
    (vevent,) = vevents(calendar_of(client.get(url)))
    assert str(vevent["class"]) == "PRIVATE"


def test_a_draft_event_file_is_for_its_organisers(client, event, member, organiser):
    update(event, status=Event.Status.DRAFT)
    url = reverse("events:event_ics", args=[event.pk])

    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(organiser)
    (vevent,) = vevents(calendar_of(client.get(url)))
    assert str(vevent["status"]) == "TENTATIVE"


def test_an_unknown_event_or_network_is_a_404(client, db):
    assert client.get(reverse("events:event_ics", args=[999999])).status_code == 404
    assert client.get(reverse("events:event_ics", args=[10**23])).status_code == 404
    assert client.get(reverse("events:network_ics", args=["nowhere"])).status_code == 404
    assert client.get(reverse("events:network_atom", args=["nowhere"])).status_code == 404


def test_feeds_refuse_writes(client, event):
    response = client.post(reverse("events:event_ics", args=[event.pk]))

    assert response.status_code == 405


# A network's calendar


def test_a_series_is_one_master_with_its_rule_exception_and_override(client, club, event, series):
    series_row, occurrences = series
    cancelled = update(occurrences[1], status=Event.Status.CANCELLED)
    moved = update(
        occurrences[2],
        starts_at=occurrences[2].starts_at + timedelta(days=1),
        ends_at=occurrences[2].ends_at + timedelta(days=1),
        is_detached=True,
    )

    calendar = network_feed(client, club)

    masters = [e for e in vevents(calendar) if "rrule" in e]
    assert len(masters) == 1
    master = masters[0]
    uid = f"series-{series_row.pk}@{HOST}"
    assert str(master["uid"]) == uid
    assert master["dtstart"].params["TZID"] == "Europe/Paris"
    assert master.decoded("dtstart") == series_row.first_starts_at
    assert master["rrule"].to_ical().decode() == "FREQ=MONTHLY;COUNT=6;BYDAY=1TH"
    excluded = [d.dt for d in master["exdate"].dts]
    assert excluded == [cancelled.recurrence_id]
    assert master["exdate"].params["TZID"] == "Europe/Paris"
    overrides = [e for e in vevents(calendar) if "recurrence-id" in e]
    assert len(overrides) == 1
    assert str(overrides[0]["uid"]) == uid
    assert overrides[0].decoded("recurrence-id") == moved.recurrence_id
    assert overrides[0].decoded("dtstart") == moved.starts_at
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    (single,) = [e for e in vevents(calendar) if str(e["uid"]) == f"event-{event.pk}@{HOST}"]
    assert "rrule" not in single


def test_expanding_the_master_rule_gives_exactly_the_club_s_dates(client, club, series):
    _series_row, occurrences = series
    update(occurrences[1], status=Event.Status.CANCELLED)
    update(
        occurrences[4],
        starts_at=occurrences[4].starts_at + timedelta(hours=1),
        ends_at=occurrences[4].ends_at + timedelta(hours=1),
        is_detached=True,
    )

    calendar = network_feed(client, club)

    (master,) = [e for e in vevents(calendar) if "rrule" in e]
    start = master.decoded("dtstart")
    rule = rrulestr(master["rrule"].to_ical().decode(), dtstart=start.replace(tzinfo=None))
    # Expanded in the zone's wall time, as calendar clients do for a TZID start.
    expanded = {moment.replace(tzinfo=start.tzinfo) for moment in rule}
    expanded -= {d.dt for d in master["exdate"].dts}
    overridden = {
        e.decoded("recurrence-id"): e.decoded("dtstart")
        for e in vevents(calendar)
        if "recurrence-id" in e
    }
    shown = {overridden.get(moment, moment) for moment in expanded}
    held = set(
        Event.objects.filter(series__isnull=False)
        .exclude(status=Event.Status.CANCELLED)
        .values_list("starts_at", flat=True)
    )
    assert shown == held
    # 20:30 in Paris in winter and in summer alike (the moved one is at 21:30).
    assert {moment.astimezone(PARIS).strftime("%H:%M") for moment in shown} == {"20:30", "21:30"}
    assert {moment.utcoffset() for moment in expanded} == {timedelta(hours=1), timedelta(hours=2)}


def test_an_occurrence_edited_on_its_own_is_an_override_with_its_changes(client, club, series):
    _series_row, occurrences = series
    update(occurrences[3], title="Ciné-club du jeudi : soirée spéciale", is_detached=True)

    calendar = network_feed(client, club)

    (override,) = by_summary(calendar, "Ciné-club du jeudi : soirée spéciale")
    assert override.decoded("recurrence-id") == occurrences[3].recurrence_id
    assert override.decoded("dtstart") == occurrences[3].starts_at


def test_dates_of_the_rule_an_anonymous_visitor_may_not_see_are_excluded(client, club, series):
    _series_row, occurrences = series
    draft = update(occurrences[5], status=Event.Status.DRAFT)

    (master,) = [e for e in vevents(network_feed(client, club)) if "rrule" in e]

    assert [d.dt for d in master["exdate"].dts] == [draft.recurrence_id]


def test_a_series_cancelled_as_a_whole_shows_cancelled(client, club, series):
    Event.objects.filter(series=series[0]).update(status=Event.Status.CANCELLED)

    (master,) = [e for e in vevents(network_feed(client, club)) if "rrule" in e]

    assert str(master["status"]) == "CANCELLED"
    assert "exdate" not in master


def test_members_only_events_are_absent_for_anonymous_and_outsiders(
    client, club, event, member, outsider
):
    update(event, visibility=Event.Visibility.MEMBERS)

    assert not by_summary(network_feed(client, club), event.title)
    client.force_login(outsider)
    assert not by_summary(network_feed(client, club), event.title)
    client.force_login(member)
    assert by_summary(network_feed(client, club), event.title)


def test_drafts_are_absent_from_a_member_s_network_calendar(client, club, event, member):
    update(event, status=Event.Status.DRAFT)
    client.force_login(member)

    assert not by_summary(network_feed(client, club), event.title)


def test_events_over_a_year_old_leave_the_calendar(client, club, event):
    update(
        event,
        starts_at=event.starts_at - timedelta(days=400),
        ends_at=event.ends_at - timedelta(days=400),
    )

    assert not vevents(network_feed(client, club))


def test_a_network_calendar_costs_the_same_queries_for_3_or_30_events(
    client, club, organiser, venue, film, event, django_assert_max_num_queries
):
    make_series(club, organiser, venue, film)
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("events:network_ics", args=[club.slug]))
    for number in range(4):
        make_series(club, organiser, venue, film, title=f"Série {number}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        calendar = network_feed(client, club)

    assert len([e for e in vevents(calendar) if "rrule" in e]) == 5


# A network's Atom feed


def entries(response) -> list[ElementTree.Element]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_the_atom_feed_lists_coming_public_events_with_links(client, club, event):
    found = entries(client.get(reverse("events:network_atom", args=[club.slug])))

    (entry,) = found
    assert entry.findtext(f"{ATOM}title") == event.title
    link = entry.find(f"{ATOM}link")
    assert link is not None
    assert link.get("href") == f"{settings.SITE_URL}{event.get_absolute_url()}"
    assert "8:30 p.m." in (entry.findtext(f"{ATOM}summary") or "")


def test_the_atom_feed_shows_newest_announced_first(client, club, event, organiser, venue):
    later = Event.objects.create(
        network=club,
        kind=Event.Kind.WORKSHOP,
        title="Atelier de projection 16 mm",
        venue=venue,
        starts_at=next_week_at(14, days=20),
        ends_at=next_week_at(17, days=20),
        status=Event.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(seconds=1),
        created_by=organiser,
    )

    found = entries(client.get(reverse("events:network_atom", args=[club.slug])))

    assert [e.findtext(f"{ATOM}title") for e in found] == [later.title, event.title]


def test_the_atom_feed_keeps_members_only_drafts_and_past_events_out_even_for_members(
    client, club, event, organiser, venue, member
):
    for title, visibility, status, days in (
        ("Entre nous", Event.Visibility.MEMBERS, Event.Status.PUBLISHED, 9),
        ("Brouillon", Event.Visibility.PUBLIC, Event.Status.DRAFT, 9),
        ("Passée", Event.Visibility.PUBLIC, Event.Status.PUBLISHED, -3),
    ):
        Event.objects.create(
            network=club,
            kind=Event.Kind.SCREENING,
            title=title,
            venue=venue,
            starts_at=next_week_at(20, days=days),
            ends_at=next_week_at(22, days=days),
            visibility=visibility,
            status=status,
            published_at=timezone.now(),
        )
    client.force_login(member)

    found = entries(client.get(reverse("events:network_atom", args=[club.slug])))

    assert [e.findtext(f"{ATOM}title") for e in found] == [event.title]
