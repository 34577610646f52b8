import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.lending import services
from contrechamp.lending.models import Item, Loan, Swap
from contrechamp.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def poster(make_item):
    return make_item(
        kind=Item.Kind.POSTER, title="Affiche de Cléo", offers_loan=False, offers_swap=True
    )


@pytest.fixture
def vinyl(make_item, other_member):
    return make_item(by=other_member, kind=Item.Kind.SOUNDTRACK, title="BO de Vertigo")


def test_an_accepted_swap_moves_both_items_at_once(poster, vinyl, member, other_member):
    swap = services.propose_swap(actor=other_member, wanted=[poster], offered=[vinyl])

    assert Notification.objects.filter(recipient=member, kind="lending.swap_proposed").exists()
    services.accept_swap(actor=member, swap=swap)

    poster.refresh_from_db()
    vinyl.refresh_from_db()
    swap.refresh_from_db()
    assert (poster.owner_user_id, vinyl.owner_user_id) == (other_member.pk, member.pk)
    assert swap.status == Swap.Status.COMPLETED


def test_a_gift_is_asked_for_with_nothing_in_return(make_item, member, other_member):
    glasses = make_item(kind=Item.Kind.GLASSES_3D, offers_loan=False, offers_gift=True)

    swap = services.propose_swap(actor=other_member, wanted=[glasses])
    services.accept_swap(actor=member, swap=swap)

    glasses.refresh_from_db()
    assert glasses.owner_user == other_member


def test_a_swap_needs_the_item_offered_for_swap_or_given_away(item, vinyl, other_member):
    with pytest.raises(DomainError, match="not offered for swap"):
        services.propose_swap(actor=other_member, wanted=[item], offered=[vinyl])
    with pytest.raises(DomainError, match="not given away"):
        services.propose_swap(actor=other_member, wanted=[item])


def test_one_cannot_offer_someone_elses_item_or_swap_with_oneself(
    poster, item, member, other_member
):
    with pytest.raises(DomainError, match="items of your own"):
        services.propose_swap(actor=other_member, wanted=[poster], offered=[item])
    with pytest.raises(DomainError, match="your own item"):
        services.propose_swap(actor=member, wanted=[poster])


def test_only_the_owner_of_the_wanted_items_accepts_and_only_once(
    poster, vinyl, member, other_member
):
    swap = services.propose_swap(actor=other_member, wanted=[poster], offered=[vinyl])

    with pytest.raises(PermissionDenied):
        services.accept_swap(actor=other_member, swap=swap)
    services.accept_swap(actor=member, swap=swap)
    with pytest.raises(InvalidTransition):
        services.accept_swap(actor=member, swap=swap)


def test_accepting_one_swap_cancels_the_others_for_the_same_item(
    poster, vinyl, make_item, member, other_member
):
    camille = UserFactory.create(username="camille")
    book = make_item(by=camille, kind=Item.Kind.BOOK, title="Hitchcock/Truffaut")
    first = services.propose_swap(actor=other_member, wanted=[poster], offered=[vinyl])
    second = services.propose_swap(actor=camille, wanted=[poster], offered=[book])

    services.accept_swap(actor=member, swap=first)

    second.refresh_from_db()
    assert second.status == Swap.Status.CANCELLED
    with pytest.raises(InvalidTransition):
        services.accept_swap(actor=member, swap=second)


def test_an_item_lent_since_the_proposal_stops_the_swap(
    make_item, vinyl, member, other_member, outsider
):
    both = make_item(kind=Item.Kind.DVD, title="Shoah", offers_swap=True)
    swap = services.propose_swap(actor=other_member, wanted=[both], offered=[vinyl])
    with zeal_ignore():
        loan = services.request_loan(actor=outsider, item=both)
        services.accept_loan(actor=member, loan=loan)

    with pytest.raises(Conflict, match="no longer available"):
        services.accept_swap(actor=member, swap=swap)

    both.refresh_from_db()
    assert both.owner_user == member
    assert Loan.objects.get().status == Loan.Status.ACCEPTED


@pytest.mark.django_db(transaction=True)
def test_two_members_accepting_swaps_of_the_same_item_at_once_one_wins(
    make_item, vinyl, member, other_member
):
    """Nora offers her one vinyl to Juliette and to Camille; both accept at once."""
    camille = UserFactory.create(username="camille")
    poster = make_item(kind=Item.Kind.POSTER, title="Affiche", offers_swap=True)
    book = make_item(by=camille, kind=Item.Kind.BOOK, title="Livre", offers_swap=True)
    to_juliette = services.propose_swap(actor=other_member, wanted=[poster], offered=[vinyl])
    to_camille = services.propose_swap(actor=other_member, wanted=[book], offered=[vinyl])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(actor, swap):
        try:
            barrier.wait(timeout=10)
            services.accept_swap(actor=actor, swap=swap)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("refused")
        except Exception as error:  # anything else is what this test looks for
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept, args=(member, to_juliette)),
        threading.Thread(target=accept, args=(camille, to_camille)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["ok", "refused"]
    assert Swap.objects.filter(status=Swap.Status.COMPLETED).count() == 1
    vinyl.refresh_from_db()
    assert vinyl.owner_user in (member, camille)


def test_a_swap_is_proposed_and_accepted_from_the_pages(
    client, poster, vinyl, member, other_member
):
    client.force_login(other_member)
    page = client.get(poster.get_absolute_url())
    client.post(reverse("lending:swap_propose", args=[poster.pk]), {"offered": [vinyl.pk]})
    swap = Swap.objects.get()
    client.force_login(member)
    listing = client.get(reverse("lending:loans"))

    client.post(reverse("lending:swap_action", args=[swap.pk, "accept"]))

    assert "Propose a swap" in page.text
    assert swap.get_absolute_url() in listing.text
    swap.refresh_from_db()
    assert swap.status == Swap.Status.COMPLETED


def test_a_swap_page_is_hidden_from_others(client, poster, vinyl, other_member, outsider):
    with zeal_ignore():
        swap = services.propose_swap(actor=other_member, wanted=[poster], offered=[vinyl])
    client.force_login(outsider)

    assert client.get(swap.get_absolute_url()).status_code == 404
    assert client.post(reverse("lending:swap_action", args=[swap.pk, "accept"])).status_code == 404
