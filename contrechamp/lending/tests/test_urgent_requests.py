from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core.errors import DomainError, InvalidTransition
from contrechamp.lending import services
from contrechamp.lending.models import Item, UrgentOffer, UrgentRequest
from contrechamp.lending.tests.conftest import city, slot
from contrechamp.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def nora_camera(make_item, other_member):
    return make_item(by=other_member, kind=Item.Kind.CAMERA, title="Caméra de Nora")


def urgent(actor, kind=Item.Kind.CAMERA, where="Grenoble", days=2):
    start, end = slot(days=days, hours=30)
    return services.post_urgent_request(
        actor=actor, kind=kind, start=start, end=end, place=city(where), note="Tournage samedi"
    )


def told(kind="lending.urgent_request"):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_the_holders_of_free_matching_equipment_nearby_are_told(
    camera, nora_camera, make_item, admin, member
):
    far = UserFactory.create(username="marseillais")
    make_item(by=far, kind=Item.Kind.CAMERA, title="Loin", place=city("Marseille"))
    make_item(by=far, kind=Item.Kind.LENS, title="Pas une caméra")
    requester = UserFactory.create(username="requester")

    urgent(requester)

    # Nora owns one; Sébastien (admin) and Juliette (equipment manager) keep the network's.
    assert told() == {"nora", "sebastien", "juliette"}


def test_equipment_booked_or_out_of_order_on_those_dates_is_not_matched(
    camera, nora_camera, member, other_member
):
    start, end = slot(days=2, hours=30)
    with zeal_ignore():
        services.book_equipment(actor=member, item=camera, start=start, end=end)
        services.set_out_of_order(actor=other_member, item=nora_camera, out_of_order=True)
    requester = UserFactory.create(username="requester")

    urgent(requester)

    assert told() == set()


def test_an_offer_accepted_closes_the_request_and_thanks_the_others(
    camera, nora_camera, admin, other_member
):
    requester = UserFactory.create(username="requester")
    request = urgent(requester)
    from_nora = services.offer_for_urgent_request(
        actor=other_member, request=request, item=nora_camera, message="Dispo"
    )
    from_club = services.offer_for_urgent_request(actor=admin, request=request, item=camera)

    services.accept_urgent_offer(actor=requester, offer=from_nora)

    request.refresh_from_db()
    from_club.refresh_from_db()
    assert request.status == UrgentRequest.Status.FULFILLED
    assert from_club.status == UrgentOffer.Status.NOT_NEEDED
    with pytest.raises(InvalidTransition):
        services.accept_urgent_offer(actor=requester, offer=from_club)
    with pytest.raises(InvalidTransition):
        services.offer_for_urgent_request(actor=admin, request=request, item=camera)


def test_only_the_keeper_of_a_matching_item_can_offer_it(camera, nora_camera, outsider, make_item):
    requester = UserFactory.create(username="requester")
    request = urgent(requester)
    lens = make_item(by=outsider, kind=Item.Kind.LENS, title="Objectif")

    with pytest.raises(PermissionDenied):
        services.offer_for_urgent_request(actor=outsider, request=request, item=nora_camera)
    with pytest.raises(DomainError, match="does not match"):
        services.offer_for_urgent_request(actor=outsider, request=request, item=lens)


def test_only_the_requester_accepts_an_offer(nora_camera, other_member, outsider):
    requester = UserFactory.create(username="requester")
    request = urgent(requester)
    offer = services.offer_for_urgent_request(actor=other_member, request=request, item=nora_camera)

    with pytest.raises(PermissionDenied):
        services.accept_urgent_offer(actor=outsider, offer=offer)


def test_an_urgent_request_needs_equipment_and_a_future_slot(member):
    start, end = slot()
    with pytest.raises(DomainError, match="kind of equipment"):
        services.post_urgent_request(
            actor=member, kind=Item.Kind.DVD, start=start, end=end, place=city("Lyon")
        )
    with pytest.raises(DomainError, match="already begun"):
        services.post_urgent_request(
            actor=member,
            kind=Item.Kind.CAMERA,
            start=start - timedelta(days=10),
            end=end,
            place=city("Lyon"),
        )
    assert not UrgentRequest.objects.exists()


def test_the_story_from_the_pages(client, nora_camera, other_member):
    requester = UserFactory.create(username="requester")
    start, end = slot(days=2, hours=30)
    fmt = "%Y-%m-%dT%H:%M"
    client.force_login(requester)
    client.post(
        reverse("lending:urgent_list"),
        {
            "kind": Item.Kind.CAMERA,
            "start": f"{start:{fmt}}",
            "end": f"{end:{fmt}}",
            "city": "Grenoble",
            "note": "Ma caméra est tombée",
        },
    )
    request = UrgentRequest.objects.get()
    client.force_login(other_member)
    page = client.get(request.get_absolute_url())
    client.post(request.get_absolute_url(), {"item": nora_camera.pk, "message": "Je passe"})
    offer = UrgentOffer.objects.get()
    client.force_login(requester)
    mine = client.get(request.get_absolute_url())
    client.post(reverse("lending:urgent_accept", args=[request.pk]), {"offer": offer.pk})

    assert "Caméra de Nora" in page.text
    assert "Je passe" in mine.text
    request.refresh_from_db()
    assert request.status == UrgentRequest.Status.FULFILLED


def test_a_bad_urgent_form_keeps_what_was_typed(client, member):
    client.force_login(member)

    response = client.post(
        reverse("lending:urgent_list"),
        {"kind": "dvd", "start": "hier", "end": "", "city": "Atlantide", "note": "<b>vite</b>"},
    )

    assert response.status_code == 200
    assert {"kind", "start", "end", "city"} <= set(response.context["form"].errors)
    assert "&lt;b&gt;vite&lt;/b&gt;" in response.text
    assert not UrgentRequest.objects.exists()


def test_accepting_an_unknown_offer_is_not_found(client, member):
    client.force_login(member)

    response = client.post(reverse("lending:urgent_accept", args=[1]), {"offer": "x"})

    assert response.status_code == 404


def test_an_urgent_request_is_read_only_by_its_requester_and_the_keepers_it_concerns(
    client, nora_camera, other_member
):
    requester = UserFactory.create(username="requester")
    stranger = UserFactory.create(username="stranger")
    request = urgent(requester)
    page = reverse("lending:urgent_detail", args=[request.pk])

    client.force_login(stranger)
    assert client.get(page).status_code == 404
    client.force_login(other_member)  # keeps a matching camera
    assert client.get(page).status_code == 200
    client.force_login(requester)
    assert client.get(page).status_code == 200
