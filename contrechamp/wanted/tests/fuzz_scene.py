"""One of each wanted thing for the API fuzzer: a request of the caller's with a match,
and one of another member's."""

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.films import services as film_services
from contrechamp.lending import services as lending_services
from contrechamp.lending.models import Item
from contrechamp.wanted import matching, services


def build(*, owner: User, caller: User) -> None:
    film = film_services.create_film(actor=owner, title="La Jetée, copie recherchée", year=1962)
    place = places.find_city("Lyon")
    assert place is not None  # the shipped gazetteer knows Lyon
    item = lending_services.create_item(
        actor=owner,
        details=lending_services.ItemDetails(
            kind=Item.Kind.DVD, title="La Jetée, DVD", place=place, film=film
        ),
    )
    services.post_request(actor=caller, details=services.RequestDetails(film=film))
    services.post_request(actor=owner, details=services.RequestDetails(film=film))
    matching.offers_changed("library", [item.pk])
