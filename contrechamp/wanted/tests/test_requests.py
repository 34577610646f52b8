"""Posting, resolving and withdrawing wanted requests: who may, and what is refused."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from contrechamp.accounts.models import User
from contrechamp.core.errors import DomainError, InvalidTransition
from contrechamp.films.models import Film
from contrechamp.networks.models import Network
from contrechamp.search.models import Document
from contrechamp.wanted import services
from contrechamp.wanted.models import Format, Match, WantedRequest
from contrechamp.wanted.tests.conftest import MakeItem, MakeRequest

pytestmark = pytest.mark.django_db


def test_a_request_keeps_formats_in_the_lists_order_and_languages_as_codes(
    make_request: MakeRequest,
) -> None:
    request = make_request(
        formats=[Format.FILM_16, Format.DVD, Format.DVD],
        audio_languages=["FR"],
        subtitle_languages=["en", " "],
        note="  Pour une séance.\r\n  ",
    )
    assert request.format_list == [Format.DVD, Format.FILM_16]
    assert request.audio_language_list == ["fr"]
    assert request.subtitle_language_list == ["en"]
    assert request.note == "Pour une séance."
    assert request.is_open


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"formats": ["betamax"]}, "Unknown format"),
        ({"subtitle_languages": ["english"]}, "two-letter codes"),
        ({"note": "x" * 2001}, "too long"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_posted(
    make_request: MakeRequest, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        make_request(**fields)
    assert not WantedRequest.objects.exists()


def test_script_tags_in_a_note_are_kept_as_text(make_request: MakeRequest) -> None:
    request = make_request(note="<script>alert(1)</script>")
    assert request.note == "<script>alert(1)</script>"


def test_looking_twice_for_the_same_film_is_refused(make_request: MakeRequest) -> None:
    make_request()
    with pytest.raises(DomainError, match="already look for this film"):
        make_request()
    assert WantedRequest.objects.count() == 1


def test_a_film_looked_for_again_after_withdrawing_is_fine(
    make_request: MakeRequest, seeker: User
) -> None:
    services.withdraw_request(actor=seeker, request=make_request())
    assert make_request().is_open


def test_a_request_can_be_shown_to_a_network_its_author_belongs_to(
    make_request: MakeRequest, club: Network
) -> None:
    assert make_request(network=club).network == club


def test_a_request_cannot_be_shown_to_a_network_its_author_is_not_in(
    make_request: MakeRequest, club: Network, outsider: User
) -> None:
    with pytest.raises(PermissionDenied):
        make_request(by=outsider, network=club)


def test_a_deleted_account_cannot_post(make_request: MakeRequest, outsider: User) -> None:
    outsider.is_active = False
    outsider.save()
    with pytest.raises(PermissionDenied):
        make_request(by=outsider)


def test_the_author_resolves_through_a_match(
    make_item: MakeItem, make_request: MakeRequest, seeker: User
) -> None:
    make_item()
    request = make_request()
    match = Match.objects.get(request=request)
    services.resolve_request(actor=seeker, request=request, match=match)
    request.refresh_from_db()
    assert request.status == WantedRequest.Status.FOUND
    assert request.found_match_id == match.pk
    assert request.resolved_at is not None


def test_the_author_may_have_found_it_elsewhere(make_request: MakeRequest, seeker: User) -> None:
    request = services.resolve_request(actor=seeker, request=make_request())
    assert request.status == WantedRequest.Status.FOUND
    assert request.found_match is None


def test_a_match_of_another_request_is_refused(
    make_item: MakeItem, make_request: MakeRequest, seeker: User, outsider: User
) -> None:
    make_item()
    theirs = make_request(by=outsider)
    mine = make_request()
    with pytest.raises(DomainError, match="not found for this request"):
        services.resolve_request(
            actor=seeker, request=mine, match=Match.objects.get(request=theirs)
        )
    mine.refresh_from_db()
    assert mine.is_open


def test_others_may_neither_resolve_nor_withdraw(make_request: MakeRequest, member: User) -> None:
    request = make_request()
    with pytest.raises(PermissionDenied):
        services.resolve_request(actor=member, request=request)
    with pytest.raises(PermissionDenied):
        services.withdraw_request(actor=member, request=request)
    request.refresh_from_db()
    assert request.is_open


def test_a_closed_request_cannot_be_closed_again(make_request: MakeRequest, seeker: User) -> None:
    request = services.withdraw_request(actor=seeker, request=make_request())
    assert request.status == WantedRequest.Status.WITHDRAWN
    with pytest.raises(InvalidTransition):
        services.resolve_request(actor=seeker, request=request)
    with pytest.raises(InvalidTransition):
        services.withdraw_request(actor=seeker, request=request)


def test_open_requests_are_searchable_and_leave_the_search_when_closed(
    make_request: MakeRequest,
    seeker: User,
    la_jetee: Film,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request()
    document = Document.objects.get(kind="wanted", object_id=request.pk)
    assert document.title == "La Jetée (1962)"
    assert document.is_public
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_request(actor=seeker, request=request)
    assert not Document.objects.filter(kind="wanted", object_id=request.pk).exists()


def test_the_database_refuses_a_second_open_request_for_the_same_film(
    make_request: MakeRequest, seeker: User, la_jetee: Film
) -> None:
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    make_request()
    with pytest.raises(IntegrityError), transaction.atomic():
        WantedRequest.objects.create(requester=seeker, film=la_jetee)
    closed = WantedRequest.objects.create(
        requester=seeker,
        film=la_jetee,
        status=WantedRequest.Status.WITHDRAWN,
        resolved_at=timezone.now(),
    )
    assert closed.pk is not None
