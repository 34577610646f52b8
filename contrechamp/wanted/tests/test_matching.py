"""Matching wanted requests with library items and availability entries: the format and
language rules, who may see what, and that an offer is announced once."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.films import services as film_services
from contrechamp.films import wanted_offers as availability_offers
from contrechamp.films.models import Availability, Film
from contrechamp.lending import services as lending_services
from contrechamp.lending import wanted_offers as library_offers
from contrechamp.lending.models import Item
from contrechamp.networks.models import Network
from contrechamp.notifications.models import Notification
from contrechamp.wanted import matching
from contrechamp.wanted.models import Format, Match, WantedRequest
from contrechamp.wanted.tests.conftest import (
    MakeAvailability,
    MakeItem,
    MakeRequest,
    city,
)

pytestmark = pytest.mark.django_db


def _notifications(member: User) -> int:
    return Notification.objects.filter(recipient=member, kind="wanted.match").count()


def _current(request: WantedRequest) -> list[Match]:
    return list(Match.objects.filter(request_id=request.pk, is_current=True))


# --- The two moments matching runs


def test_an_offer_listed_before_the_request_is_found_at_once_without_a_notification(
    make_item: MakeItem, make_request: MakeRequest, seeker: User
) -> None:
    item = make_item()
    request = make_request(formats=[Format.DVD])
    [match] = _current(request)
    assert (match.source, match.offer_id, match.format) == ("library", item.pk, Format.DVD)
    assert match.where == "Juliette, Grenoble"
    assert _notifications(seeker) == 0


def test_a_copy_listed_later_in_the_library_is_matched_and_announced(
    make_item: MakeItem,
    make_request: MakeRequest,
    seeker: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = make_request(subtitle_languages=["en"])
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item()
    [match] = _current(request)
    assert match.offer_id == item.pk
    # The library does not state languages: the requester is asked to check.
    assert match.languages_unstated
    notification = Notification.objects.get(recipient=seeker, kind="wanted.match")
    assert "La Jetée" in notification.title
    assert notification.url == request.get_absolute_url()


def test_a_matching_availability_entry_added_later_is_announced(
    make_availability: MakeAvailability,
    make_request: MakeRequest,
    seeker: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = make_request(formats=[Format.STREAMING], subtitle_languages=["en"])
    with django_capture_on_commit_callbacks(execute=True):
        entry = make_availability(subtitle_languages=["en", "de"])
    [match] = _current(request)
    assert (match.source, match.offer_id) == ("availability", entry.pk)
    assert match.subtitle_language_list == ["en"]
    assert not match.languages_unstated
    assert _notifications(seeker) == 1


def test_an_item_edited_twice_makes_one_match_and_one_notification(
    make_item: MakeItem,
    make_request: MakeRequest,
    member: User,
    seeker: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = make_request()
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item()
    for title in ("La Jetée (Arte vidéo)", "La Jetée, DVD avec sous-titres"):
        with django_capture_on_commit_callbacks(execute=True):
            lending_services.update_item(
                actor=member,
                item=item,
                details=lending_services.ItemDetails(
                    kind=Item.Kind.DVD, title=title, place=city("Grenoble"), film=item.film
                ),
            )
    [match] = Match.objects.filter(request_id=request.pk)
    assert match.title == "La Jetée, DVD avec sous-titres"
    assert _notifications(seeker) == 1


def test_the_same_offer_changed_twice_directly_is_announced_once(
    make_item: MakeItem, make_request: MakeRequest, seeker: User
) -> None:
    request = make_request()
    item = make_item()
    assert len(matching.offers_changed("library", [item.pk])) == 1
    assert matching.offers_changed("library", [item.pk]) == []
    assert Match.objects.filter(request_id=request.pk).count() == 1
    assert _notifications(seeker) == 1


# --- Formats and languages


def test_a_dvd_does_not_answer_a_request_for_a_blu_ray(
    make_item: MakeItem, make_request: MakeRequest
) -> None:
    make_item(kind=Item.Kind.DVD)
    request = make_request(formats=[Format.BLU_RAY])
    assert _current(request) == []


def test_a_reel_answers_a_request_for_a_16_mm_print(
    make_item: MakeItem, make_request: MakeRequest
) -> None:
    make_item(kind=Item.Kind.FILM_REEL, title="La Jetée, copie 16 mm")
    [match] = _current(make_request(formats=[Format.FILM_16]))
    assert match.format == Format.FILM_16


def test_a_poster_of_the_film_is_not_a_copy(make_item: MakeItem, make_request: MakeRequest) -> None:
    make_item(kind=Item.Kind.POSTER, title="Affiche de La Jetée")
    assert _current(make_request()) == []


def test_any_format_is_welcome_when_none_is_wished(
    make_item: MakeItem, make_availability: MakeAvailability, make_request: MakeRequest
) -> None:
    make_item(kind=Item.Kind.VHS)
    make_availability(kind=Availability.Kind.INDEPENDENT_CINEMA, place="Le Méliès", url="")
    assert len(_current(make_request())) == 2


def test_a_cinema_showing_the_film_is_no_copy_of_a_wished_format(
    make_availability: MakeAvailability, make_request: MakeRequest
) -> None:
    make_availability(kind=Availability.Kind.INDEPENDENT_CINEMA, place="Le Méliès", url="")
    assert _current(make_request(formats=[Format.DVD, Format.STREAMING])) == []


def test_stated_languages_must_include_a_wished_one(
    make_availability: MakeAvailability, make_request: MakeRequest
) -> None:
    make_availability(audio_languages=["fr"], subtitle_languages=["fr", "de"])
    assert _current(make_request(subtitle_languages=["en"])) == []


def test_wished_audio_language_is_matched_on_the_stated_audio(
    make_availability: MakeAvailability, make_request: MakeRequest
) -> None:
    make_availability(audio_languages=["fr"])
    [match] = _current(make_request(audio_languages=["fr", "en"]))
    assert match.audio_language_list == ["fr"]


def test_another_film_is_never_a_match(
    make_item: MakeItem, make_request: MakeRequest, other_film: Film
) -> None:
    make_item(film=other_film, title="Sans soleil")
    assert _current(make_request()) == []


# --- What the requester may see and use


def test_a_withdrawn_item_stops_matching_and_is_not_announced_again(
    make_item: MakeItem,
    make_request: MakeRequest,
    member: User,
    seeker: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = make_request()
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        lending_services.withdraw_item(actor=member, item=item)
    assert _current(request) == []
    assert Match.objects.filter(request_id=request.pk).count() == 1
    assert _notifications(seeker) == 1


def test_an_item_out_of_order_then_repaired_matches_again_without_a_second_notice(
    make_item: MakeItem,
    make_request: MakeRequest,
    member: User,
    seeker: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = make_request()
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        lending_services.set_out_of_order(actor=member, item=item, out_of_order=True)
    assert _current(request) == []
    with django_capture_on_commit_callbacks(execute=True):
        lending_services.set_out_of_order(actor=member, item=item, out_of_order=False)
    assert len(_current(request)) == 1
    assert _notifications(seeker) == 1


def test_an_entry_reported_outdated_stops_matching(
    make_availability: MakeAvailability,
    make_request: MakeRequest,
    other_member: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = make_request()
    with django_capture_on_commit_callbacks(execute=True):
        entry = make_availability()
    with django_capture_on_commit_callbacks(execute=True):
        film_services.report_availability_outdated(actor=other_member, availability=entry)
    assert _current(request) == []


def test_an_item_shown_to_members_of_my_networks_matches_only_those_who_share_one(
    make_item: MakeItem,
    make_request: MakeRequest,
    club: Network,
    outsider: User,
) -> None:
    make_item(visibility=Item.Visibility.NETWORKS)
    in_club = make_request()
    stranger = make_request(by=outsider)
    assert len(_current(in_club)) == 1
    assert _current(stranger) == []


def test_a_networks_members_only_item_does_not_match_a_non_member(
    make_item: MakeItem,
    make_request: MakeRequest,
    club: Network,
    seeker: User,
    outsider: User,
) -> None:
    make_item(by=seeker, network=club, visibility=Item.Visibility.NETWORKS)
    member_of_it = make_request(by=UserFactory.create(username="ines"))
    assert _current(member_of_it) == []
    assert _current(make_request(by=outsider)) == []


def test_a_public_item_of_a_network_matches_everyone(
    make_item: MakeItem, make_request: MakeRequest, club: Network, seeker: User, outsider: User
) -> None:
    make_item(by=seeker, network=club)
    assert len(_current(make_request(by=outsider))) == 1


def test_my_own_copy_is_no_news_to_me(
    make_item: MakeItem, make_request: MakeRequest, seeker: User
) -> None:
    make_item(by=seeker)
    assert _current(make_request()) == []


def test_a_closed_request_gets_no_new_match(
    make_item: MakeItem, make_request: MakeRequest, seeker: User
) -> None:
    from contrechamp.wanted import services

    request = make_request()
    services.withdraw_request(actor=seeker, request=request)
    item = make_item()
    assert matching.offers_changed("library", [item.pk]) == []
    assert Match.objects.filter(request_id=request.pk).count() == 0


def test_a_failure_after_the_commit_is_logged_and_the_item_stays_listed(
    make_item: MakeItem,
    make_request: MakeRequest,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    make_request()

    def broken(kind: str, ids: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(matching, "offers_changed", broken)
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item()
    assert Item.objects.filter(pk=item.pk, is_withdrawn=False).exists()
    assert "failed" in caplog.text


# --- Batches


def _requests_of_many(count: int, film: Film) -> list[WantedRequest]:
    from contrechamp.wanted import services

    return [
        services.post_request(
            actor=UserFactory.create(username=f"cherche-{count}-{n}"),
            details=services.RequestDetails(film=film),
        )
        for n in range(count)
    ]


def test_the_library_answers_a_batch_in_a_fixed_number_of_queries(
    make_item: MakeItem, la_jetee: Film, club: Network, seeker: User, other_film: Film
) -> None:
    for n in range(4):
        shown = Item.Visibility.PUBLIC if n % 2 else Item.Visibility.NETWORKS
        make_item(title=f"Copie {n}", visibility=shown)
    make_item(by=seeker, network=club, title="Copie du club", visibility=Item.Visibility.NETWORKS)
    few = _requests_of_many(2, la_jetee)
    many = _requests_of_many(8, la_jetee) + _requests_of_many(1, other_film)
    many = list(WantedRequest.objects.filter(pk__in=[r.pk for r in many]).select_related("film"))
    few = list(WantedRequest.objects.filter(pk__in=[r.pk for r in few]).select_related("film"))
    with CaptureQueriesContext(connection) as small:
        library_offers.candidates(few, None)
    with CaptureQueriesContext(connection) as large:
        found = library_offers.candidates(many, None)
    assert len(large) == len(small) == 2
    # Members of no network: the two public copies each, none of the film they skip.
    assert sum(len(offers) for offers in found.values()) == 8 * 2


def test_availability_entries_answer_a_batch_in_one_query(
    make_availability: MakeAvailability, la_jetee: Film
) -> None:
    make_availability()
    make_availability(kind=Availability.Kind.MEDIATHEQUE, url="", place="Médiathèque")
    requests = _requests_of_many(6, la_jetee)
    with CaptureQueriesContext(connection) as queries:
        found = availability_offers.candidates(requests, None)
    assert len(queries) == 1
    assert all(len(offers) == 2 for offers in found.values())


def test_an_offer_change_costs_the_same_queries_for_two_or_ten_requests(
    make_item: MakeItem, la_jetee: Film, other_film: Film
) -> None:
    first = make_item(title="Copie A")
    second = make_item(title="Copie B", film=other_film)
    _requests_of_many(2, la_jetee)
    _requests_of_many(10, other_film)
    matching.offers_changed("library", [first.pk])
    matching.offers_changed("library", [second.pk])
    # Once announced, a change rewrites the matches in bulk: the same queries either way.
    with CaptureQueriesContext(connection) as few:
        matching.offers_changed("library", [first.pk])
    with CaptureQueriesContext(connection) as many:
        matching.offers_changed("library", [second.pk])
    assert len(few) == len(many)
    assert Match.objects.filter(offer_id=second.pk, is_current=True).count() == 10
