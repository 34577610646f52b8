from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from contrechamp.core.errors import Conflict, DomainError
from contrechamp.films import services
from contrechamp.films.models import Availability
from contrechamp.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(member, classics):
    return services.add_availability(
        actor=member,
        film=classics["enfants"],
        kind=Availability.Kind.MEDIATHEQUE,
        place="Médiathèque Kateb Yacine, Grenoble",
        territory="fr",
        subtitle_languages=["EN"],
    )


def test_a_member_says_where_to_see_a_film(entry, member):
    assert entry.added_by == member
    assert entry.territory == "FR"
    assert entry.subtitle_language_list == ["en"]
    assert not entry.is_stale


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "vod", "url": "javascript:alert(1)"}, "full web address"),
        ({"kind": "vod", "url": "ftp://example.org/film"}, "full web address"),
        ({"kind": "vod"}, "a place, a link, or both"),
        ({"kind": "pirate", "place": "x"}, "Choose a kind"),
        ({"kind": "vod", "place": "x" * 201}, "too long"),
        ({"kind": "vod", "place": "x", "territory": "France"}, "two-letter codes"),
    ],
)
def test_bad_entries_are_refused(member, classics, kwargs, message):
    with pytest.raises(DomainError, match=message):
        services.add_availability(actor=member, film=classics["cleo"], **kwargs)


def test_the_same_place_twice_is_refused(entry, other_member, classics):
    with pytest.raises(Conflict):
        services.add_availability(
            actor=other_member,
            film=classics["enfants"],
            kind=Availability.Kind.MEDIATHEQUE,
            place="Médiathèque Kateb Yacine, Grenoble",
        )


def test_an_entry_becomes_stale_after_180_days_and_a_confirmation_refreshes_it(entry, other_member):
    with time_machine.travel(timezone.now() + timedelta(days=181)):
        assert Availability.objects.get(pk=entry.pk).is_stale

        confirmed = services.confirm_availability(actor=other_member, availability=entry)

        assert not confirmed.is_stale
        assert confirmed.last_verified_by == other_member


def test_reporting_an_entry_outdated_marks_it_and_tells_who_added_it_once(
    entry, member, other_member
):
    services.report_availability_outdated(actor=other_member, availability=entry)
    services.report_availability_outdated(actor=other_member, availability=entry)

    assert Availability.objects.get(pk=entry.pk).is_stale
    notes = Notification.objects.filter(recipient=member, kind="films.availability_outdated")
    assert notes.count() == 1


def test_a_confirmation_clears_an_outdated_report(entry, member, other_member):
    services.report_availability_outdated(actor=other_member, availability=entry)

    services.confirm_availability(actor=member, availability=entry)

    assert Availability.objects.get(pk=entry.pk).reported_outdated_at is None


def test_an_inactive_account_cannot_add_a_place(member, classics):
    member.is_active = False

    with pytest.raises(PermissionDenied):
        services.add_availability(actor=member, film=classics["cleo"], kind="vod", place="x")


def test_the_film_page_shows_places_with_their_last_check_and_staleness(client, entry, classics):
    Availability.objects.filter(pk=entry.pk).update(
        last_verified_at=timezone.now() - timedelta(days=200)
    )

    html = client.get(classics["enfants"].get_absolute_url()).content.decode()

    assert "Médiathèque Kateb Yacine" in html
    assert "Last verified on" in html
    assert "Not checked for a long time" in html


def test_a_member_adds_a_place_from_the_film_page(client, member, classics):
    client.force_login(member)
    film = classics["cleo"]

    response = client.post(
        reverse("films:add_availability", args=[film.pk]),
        {"kind": "public_domain", "url": "https://archive.org/details/cleo", "territory": ""},
    )

    assert response.status_code == 302
    assert Availability.objects.get(film=film).url == "https://archive.org/details/cleo"


def test_a_bad_link_is_shown_beside_the_form_with_what_was_typed(client, member, classics):
    client.force_login(member)
    film = classics["cleo"]

    response = client.post(
        reverse("films:add_availability", args=[film.pk]),
        {"kind": "vod", "place": "Ma plateforme", "url": "javascript:alert(1)"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "full web address" in html
    assert 'value="Ma plateforme"' in html


def test_confirm_and_report_from_the_page(client, other_member, entry, classics):
    client.force_login(other_member)
    film = classics["enfants"]

    client.post(reverse("films:report_availability", args=[film.pk, entry.pk]))
    assert Availability.objects.get(pk=entry.pk).reported_outdated_at is not None
    client.post(reverse("films:confirm_availability", args=[film.pk, entry.pk]))
    assert Availability.objects.get(pk=entry.pk).reported_outdated_at is None


def test_an_entry_of_another_film_is_a_404(client, member, entry, classics):
    client.force_login(member)

    response = client.post(
        reverse("films:confirm_availability", args=[classics["cleo"].pk, entry.pk])
    )

    assert response.status_code == 404
