"""The wanted pages: the list and its filters, a request's page for its author and for
others, posting through the form, closing, and the film page's count."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.films.models import Film
from contrechamp.networks.models import Network
from contrechamp.wanted import services
from contrechamp.wanted.models import Format, WantedRequest
from contrechamp.wanted.tests.conftest import MakeItem, MakeRequest

pytestmark = pytest.mark.django_db


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _many_requests(count: int, film: Film, start: int = 0) -> None:
    for n in range(start, start + count):
        services.post_request(
            actor=UserFactory.create(username=f"cinephile-{n}"),
            details=services.RequestDetails(film=film, formats=[Format.DVD]),
        )


def test_the_list_shows_open_requests_to_anyone(client: Client, make_request: MakeRequest) -> None:
    make_request(formats=[Format.DVD])
    response = client.get("/wanted/")
    assert response.status_code == 200
    assert "La Jetée" in response.content.decode()


def test_the_list_filters_by_words_format_language_film_and_status(
    client: Client, make_request: MakeRequest, other_film: Film, member: User, seeker: User
) -> None:
    jetee = make_request(formats=[Format.DVD], subtitle_languages=["en"])
    soleil = make_request(film=other_film, formats=[Format.FILM_35], by=member)
    services.withdraw_request(actor=member, request=soleil)

    def shown(query: str) -> bool:
        return jetee.get_absolute_url() in client.get(f"/wanted/?{query}").content.decode()

    assert shown("q=jetee")
    assert not shown("q=soleil")
    assert shown("format=dvd")
    assert not shown("format=film_35")
    assert shown("language=en")
    assert not shown("language=it")
    assert shown(f"film={jetee.film_id}")
    assert not shown(f"film={other_film.pk}")
    withdrawn = client.get("/wanted/?status=withdrawn").content.decode()
    assert soleil.get_absolute_url() in withdrawn
    assert jetee.get_absolute_url() not in withdrawn


def test_nonsense_filters_are_ignored_not_refused(
    client: Client, make_request: MakeRequest
) -> None:
    make_request()
    response = client.get("/wanted/?format=%00&language=123&film=99999999999999999999&status=x")
    assert response.status_code == 200


def test_the_list_costs_the_same_queries_for_few_or_many_requests(
    client: Client, la_jetee: Film
) -> None:
    _many_requests(2, la_jetee)
    with CaptureQueriesContext(connection) as few:
        client.get("/wanted/")
    _many_requests(15, la_jetee, start=2)
    with CaptureQueriesContext(connection) as many:
        client.get("/wanted/")
    assert len(few) == len(many)


def test_a_request_shown_to_a_network_is_hidden_from_others(
    client: Client, make_request: MakeRequest, club: Network, member: User, outsider: User
) -> None:
    request = make_request(network=club)
    url = request.get_absolute_url()
    assert client.get(url).status_code == 404
    assert _signed_in(outsider).get(url).status_code == 404
    assert _signed_in(member).get(url).status_code == 200
    assert url not in _signed_in(outsider).get("/wanted/").content.decode()
    assert url in _signed_in(member).get("/wanted/").content.decode()


def test_the_author_sees_the_copies_found_and_others_do_not(
    make_item: MakeItem, make_request: MakeRequest, seeker: User, member: User
) -> None:
    make_item(title="La Jetée, DVD Arte")
    request = make_request()
    mine = _signed_in(seeker).get(request.get_absolute_url()).content.decode()
    assert "La Jetée, DVD Arte" in mine
    assert "ask before counting on it" not in mine
    theirs = _signed_in(member).get(request.get_absolute_url()).content.decode()
    assert "La Jetée, DVD Arte" not in theirs
    assert "I found it" not in theirs


def test_the_request_page_costs_the_same_queries_with_many_matches(
    make_item: MakeItem, make_request: MakeRequest, seeker: User
) -> None:
    make_item(title="Copie 1")
    request = make_request()
    client = _signed_in(seeker)
    with CaptureQueriesContext(connection) as one:
        client.get(request.get_absolute_url())
    for n in range(2, 8):
        make_item(title=f"Copie {n}")
    from contrechamp.wanted import matching

    matching.match_request(request, announce=False)
    with CaptureQueriesContext(connection) as seven:
        response = client.get(request.get_absolute_url())
    assert response.content.decode().count("Copie ") >= 7
    assert len(one) == len(seven)


def test_posting_through_the_form_finds_the_film_by_its_title(
    make_item: MakeItem, seeker: User, la_jetee: Film
) -> None:
    make_item()
    response = _signed_in(seeker).post(
        "/wanted/new/",
        {"film": "la jetee 1962", "formats": ["dvd"], "subtitle_languages": ["en"], "note": "Ok"},
    )
    request = WantedRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == request.get_absolute_url()
    assert (request.film, request.format_list, request.subtitle_language_list) == (
        la_jetee,
        ["dvd"],
        ["en"],
    )
    assert request.matches.count() == 1


def test_an_unknown_film_is_refused_and_what_was_typed_is_kept(
    seeker: User, la_jetee: Film
) -> None:
    response = _signed_in(seeker).post(
        "/wanted/new/", {"film": "Zzyzx inconnu", "note": "Ma note gardée"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "No film of the catalogue matches" in content
    assert "Ma note gardée" in content
    assert not WantedRequest.objects.exists()


def test_a_title_and_a_year_pick_the_film_of_that_year(
    seeker: User, member: User, la_jetee: Film
) -> None:
    from contrechamp.films import services as film_services

    remake = film_services.create_film(actor=member, title="La Jetée", year=2010)
    client = _signed_in(seeker)
    client.post("/wanted/new/", {"film": "La Jetée (2010)"})
    assert WantedRequest.objects.get().film == remake


def test_a_service_refusal_is_shown_beside_the_form(
    make_request: MakeRequest, seeker: User, la_jetee: Film
) -> None:
    make_request()
    response = _signed_in(seeker).post("/wanted/new/", {"film": "La Jetée"})
    assert response.status_code == 200
    assert "already look for this film" in response.content.decode()


def test_the_form_is_filled_in_from_the_film_page(seeker: User, la_jetee: Film) -> None:
    response = _signed_in(seeker).get(f"/wanted/new/?film={la_jetee.pk}")
    assert 'value="La Jetée 1962"' in response.content.decode()


def test_visitors_are_asked_to_sign_in_to_post(client: Client) -> None:
    response = client.get("/wanted/new/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_author_marks_it_found_through_a_match(
    make_item: MakeItem, make_request: MakeRequest, seeker: User
) -> None:
    make_item()
    request = make_request()
    match = request.matches.get()
    response = _signed_in(seeker).post(f"/wanted/{request.pk}/found/", {"match": str(match.pk)})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.found_match_id) == (WantedRequest.Status.FOUND, match.pk)


def test_an_offer_not_listed_is_refused_when_marking_found(
    make_request: MakeRequest, seeker: User
) -> None:
    request = make_request()
    _signed_in(seeker).post(f"/wanted/{request.pk}/found/", {"match": "999"})
    request.refresh_from_db()
    assert request.is_open


def test_others_get_a_403_when_closing_someone_elses_request(
    make_request: MakeRequest, member: User
) -> None:
    request = make_request()
    client = _signed_in(member)
    assert client.post(f"/wanted/{request.pk}/withdraw/").status_code == 403
    assert client.post(f"/wanted/{request.pk}/found/").status_code == 403
    request.refresh_from_db()
    assert request.is_open


def test_the_author_withdraws_and_a_second_withdrawal_is_a_message_not_an_error(
    make_request: MakeRequest, seeker: User
) -> None:
    request = make_request()
    client = _signed_in(seeker)
    assert client.post(f"/wanted/{request.pk}/withdraw/").status_code == 302
    response = client.post(f"/wanted/{request.pk}/withdraw/", follow=True)
    assert response.status_code == 200
    assert "already closed" in response.content.decode()


def test_the_film_page_include_counts_members_looking(
    make_request: MakeRequest, member: User, la_jetee: Film
) -> None:
    template = Template('{% include "wanted/includes/film_looking.html" %}')
    assert "members are looking" not in template.render(Context({"film": la_jetee}))
    make_request()
    make_request(by=member)
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"film": la_jetee}))
    assert "2 members are looking for this film" in html
    assert f"/wanted/?film={la_jetee.pk}" in html
    assert len(queries) == 1
