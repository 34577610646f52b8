from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.lending import queries, services
from contrechamp.lending.models import Item, Loan, LoanEvent
from contrechamp.networks import services as network_services
from contrechamp.notifications.models import MemberLanguage, Notification

pytestmark = pytest.mark.django_db


def kinds_sent_to(person):
    return list(
        Notification.objects.filter(recipient=person).order_by("pk").values_list("kind", flat=True)
    )


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


def lend(item, owner, borrower, *, due_in=14):
    """A request accepted and handed over, made quietly (arrangement)."""
    with zeal_ignore():
        loan = services.request_loan(actor=borrower, item=item)
        services.accept_loan(actor=owner, loan=loan)
        return services.hand_over(actor=owner, loan=loan, due_on=in_days(due_in))


def test_a_request_notifies_the_owner_and_opens_the_audit_trail(item, member, other_member):
    loan = services.request_loan(actor=other_member, item=item, message="Jeudi ?")

    assert loan.status == Loan.Status.REQUESTED
    assert kinds_sent_to(member) == ["lending.loan_requested"]
    assert list(loan.events.values_list("action", "actor")) == [
        (LoanEvent.Action.REQUESTED, other_member.pk)
    ]


def test_the_whole_loan_goes_from_request_to_closed_with_every_step_recorded(
    item, member, other_member
):
    loan = services.request_loan(actor=other_member, item=item)
    services.accept_loan(actor=member, loan=loan, pickup_note="Devant la Cinémathèque")
    services.hand_over(actor=member, loan=loan, due_on=in_days(14))
    services.record_return(actor=member, loan=loan, condition_note="Parfait état")
    loan = services.close_loan(actor=other_member, loan=loan)

    assert loan.status == Loan.Status.CLOSED
    assert list(loan.events.values_list("action", flat=True)) == [
        "requested",
        "accepted",
        "handed_over",
        "returned",
        "closed",
    ]
    assert queries.track_record(other_member) == queries.TrackRecord(on_time=1)
    assert kinds_sent_to(other_member) == [
        "lending.loan_accepted",
        "lending.loan_handed_over",
        "lending.loan_returned",
    ]


def test_requesting_ones_own_item_is_refused(item, member):
    with pytest.raises(DomainError, match="your own item"):
        services.request_loan(actor=member, item=item)

    assert not Loan.objects.exists()


def test_asking_twice_for_the_same_item_is_refused(item, other_member):
    services.request_loan(actor=other_member, item=item)

    with pytest.raises(Conflict, match="already asked"):
        services.request_loan(actor=other_member, item=item)

    assert Loan.objects.count() == 1


def test_accepting_a_request_twice_is_refused_and_changes_nothing(item, member, other_member):
    loan = services.request_loan(actor=other_member, item=item)
    services.accept_loan(actor=member, loan=loan)

    with pytest.raises(InvalidTransition):
        services.accept_loan(actor=member, loan=loan)

    assert loan.events.filter(action=LoanEvent.Action.ACCEPTED).count() == 1


def test_only_the_owner_can_accept(item, other_member, outsider):
    loan = services.request_loan(actor=other_member, item=item)

    with pytest.raises(PermissionDenied):
        services.accept_loan(actor=outsider, loan=loan)
    with pytest.raises(PermissionDenied):
        services.accept_loan(actor=other_member, loan=loan)

    loan.refresh_from_db()
    assert loan.status == Loan.Status.REQUESTED


def test_returning_an_item_that_is_not_lent_is_refused(item, member, other_member):
    loan = services.request_loan(actor=other_member, item=item)

    with pytest.raises(InvalidTransition, match="not lent"):
        services.record_return(actor=member, loan=loan)

    loan.refresh_from_db()
    assert loan.status == Loan.Status.REQUESTED


def test_a_return_date_in_the_past_or_years_ahead_is_refused(item, member, other_member):
    loan = services.request_loan(actor=other_member, item=item)
    services.accept_loan(actor=member, loan=loan)

    with pytest.raises(DomainError):
        services.hand_over(actor=member, loan=loan, due_on=in_days(-1))
    with pytest.raises(DomainError, match="at most a year"):
        services.hand_over(actor=member, loan=loan, due_on=in_days(3650))

    loan.refresh_from_db()
    assert loan.status == Loan.Status.ACCEPTED


def test_a_declined_request_tells_the_borrower(item, member, other_member):
    loan = services.request_loan(actor=other_member, item=item)

    services.decline_loan(actor=member, loan=loan, note="Je le garde ce mois-ci")

    loan.refresh_from_db()
    assert loan.status == Loan.Status.DECLINED
    assert kinds_sent_to(other_member) == ["lending.loan_declined"]


def test_an_item_not_offered_for_loan_cannot_be_requested(make_item, other_member):
    poster = make_item(kind=Item.Kind.POSTER, offers_loan=False, offers_swap=True)

    with pytest.raises(DomainError, match="not offered for loan"):
        services.request_loan(actor=other_member, item=poster)


def test_an_item_for_my_networks_is_hidden_from_an_outsider(make_item, network, outsider):
    private = make_item(visibility=Item.Visibility.NETWORKS)

    with pytest.raises(PermissionDenied):
        services.request_loan(actor=outsider, item=private)


def test_an_item_for_my_networks_can_be_borrowed_by_a_member_of_a_shared_network(
    make_item, network, other_member
):
    private = make_item(visibility=Item.Visibility.NETWORKS)

    loan = services.request_loan(actor=other_member, item=private)

    assert loan.status == Loan.Status.REQUESTED


# Waitlist


def test_requests_while_the_item_is_out_join_the_waitlist(item, member, other_member, outsider):
    lend(item, member, other_member)

    loan = services.request_loan(actor=outsider, item=item)

    assert loan.status == Loan.Status.WAITLISTED


def test_accepting_one_request_moves_the_others_to_the_waitlist(item, member, other_member):
    third = UserFactory.create(username="camille")
    first = services.request_loan(actor=other_member, item=item)
    second = services.request_loan(actor=third, item=item)

    services.accept_loan(actor=member, loan=first)

    second.refresh_from_db()
    assert second.status == Loan.Status.WAITLISTED
    assert kinds_sent_to(third) == ["lending.loan_waitlisted"]


def test_a_returned_item_is_offered_to_the_next_person_for_48_hours(
    item, member, other_member, outsider
):
    loan = lend(item, member, other_member)
    waiting = services.request_loan(actor=outsider, item=item)

    services.record_return(actor=member, loan=loan)

    waiting.refresh_from_db()
    assert waiting.status == Loan.Status.OFFERED
    assert waiting.offer_expires_at is not None
    assert waiting.offer_expires_at - timezone.now() > timedelta(hours=47)
    assert kinds_sent_to(outsider) == ["lending.loan_offered"]
    claimed = services.claim_offer(actor=outsider, loan=waiting)
    assert claimed.status == Loan.Status.ACCEPTED


def test_an_expired_offer_passes_to_the_next_person_once(
    item, member, other_member, outsider, time_machine
):
    third = UserFactory.create(username="camille")
    loan = lend(item, member, other_member)
    first = services.request_loan(actor=outsider, item=item)
    second = services.request_loan(actor=third, item=item)
    services.record_return(actor=member, loan=loan)

    time_machine.move_to(timezone.now() + timedelta(hours=49))
    assert services.expire_offers() == 1
    assert services.expire_offers() == 0

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Loan.Status.EXPIRED
    assert second.status == Loan.Status.OFFERED
    with pytest.raises(InvalidTransition):
        services.claim_offer(actor=outsider, loan=first)


def test_a_cancelled_acceptance_frees_the_item_for_the_waitlist(
    item, member, other_member, outsider
):
    loan = services.request_loan(actor=other_member, item=item)
    services.accept_loan(actor=member, loan=loan)
    waiting = services.request_loan(actor=outsider, item=item)

    services.cancel_loan(actor=other_member, loan=loan)

    waiting.refresh_from_db()
    assert waiting.status == Loan.Status.OFFERED


# Due dates, extensions, reminders, overdue


def test_a_granted_extension_moves_the_return_date(item, member, other_member):
    loan = lend(item, member, other_member, due_in=7)

    services.request_extension(actor=other_member, loan=loan, until=in_days(14), note="Tournage")
    with pytest.raises(Conflict):
        services.request_extension(actor=other_member, loan=loan, until=in_days(20))
    services.decide_extension(actor=member, loan=loan, grant=True)

    loan.refresh_from_db()
    assert loan.due_on == in_days(14)
    assert loan.extension_requested_until is None
    assert kinds_sent_to(member) == ["lending.loan_requested", "lending.extension_requested"]


def test_a_declined_extension_keeps_the_return_date(item, member, other_member):
    loan = lend(item, member, other_member, due_in=7)
    services.request_extension(actor=other_member, loan=loan, until=in_days(10))

    services.decide_extension(actor=member, loan=loan, grant=False)

    loan.refresh_from_db()
    assert loan.due_on == in_days(7)


def test_an_extension_before_the_current_date_or_by_someone_else_is_refused(
    item, member, other_member, outsider
):
    loan = lend(item, member, other_member, due_in=7)

    with pytest.raises(DomainError):
        services.request_extension(actor=other_member, loan=loan, until=in_days(5))
    with pytest.raises(PermissionDenied):
        services.request_extension(actor=outsider, loan=loan, until=in_days(10))


def test_the_reminder_goes_two_days_before_the_due_date_once(
    item, member, other_member, time_machine
):
    lend(item, member, other_member, due_in=5)

    assert services.send_due_reminders() == 0
    time_machine.move_to(timezone.now() + timedelta(days=3))
    assert services.send_due_reminders() == 1
    assert services.send_due_reminders() == 0

    assert kinds_sent_to(other_member).count("lending.loan_due_soon") == 1


def test_an_overdue_loan_is_marked_and_noticed_once(item, member, other_member, time_machine):
    loan = lend(item, member, other_member, due_in=2)

    time_machine.move_to(timezone.now() + timedelta(days=4))
    assert services.mark_overdue_loans() == 1
    assert services.mark_overdue_loans() == 0

    loan.refresh_from_db()
    assert loan.status == Loan.Status.OVERDUE
    assert kinds_sent_to(other_member).count("lending.loan_overdue") == 1
    assert kinds_sent_to(member).count("lending.loan_overdue") == 1
    services.record_return(actor=member, loan=loan)
    assert queries.track_record(other_member) == queries.TrackRecord(late=1)


def test_a_lost_item_leaves_the_library_and_counts_against_the_borrower(
    item, member, other_member, outsider
):
    loan = lend(item, member, other_member)
    waiting = services.request_loan(actor=outsider, item=item)

    services.declare_lost(actor=member, loan=loan, note="Jamais revenu")

    item.refresh_from_db()
    waiting.refresh_from_db()
    assert item.is_withdrawn
    assert waiting.status == Loan.Status.CANCELLED
    assert queries.track_record(other_member) == queries.TrackRecord(lost=1)


# Valuable items


def test_a_valuable_item_refuses_a_borrower_below_the_owners_threshold(make_item, other_member):
    reel = make_item(kind=Item.Kind.FILM_REEL, is_valuable=True, min_on_time_returns=1)

    with pytest.raises(PermissionDenied, match="at least 1 loans"):
        services.request_loan(actor=other_member, item=reel)


def test_a_valuable_item_accepts_a_borrower_with_enough_loans_returned_on_time(
    make_item, member, other_member
):
    dvd = make_item(kind=Item.Kind.DVD, title="Le Rayon vert")
    loan = lend(dvd, member, other_member)
    with zeal_ignore():
        services.record_return(actor=member, loan=loan)
    reel = make_item(kind=Item.Kind.FILM_REEL, is_valuable=True, min_on_time_returns=1)

    loan = services.request_loan(actor=other_member, item=reel)

    assert loan.status == Loan.Status.REQUESTED


# Network items


def test_an_equipment_manager_looks_after_the_networks_items(make_item, network, admin, member):
    projector = make_item(by=admin, network=network, kind=Item.Kind.BOOK, title="Manuel 16 mm")
    borrower = UserFactory.create(username="camille")
    with zeal_ignore():
        network_services.join_network(actor=borrower, network=network, accept_charter=True)

    loan = services.request_loan(actor=borrower, item=projector)
    services.accept_loan(actor=member, loan=loan)

    assert set(
        Notification.objects.filter(kind="lending.loan_requested").values_list(
            "recipient__username", flat=True
        )
    ) == {"sebastien", "juliette"}


def test_a_plain_member_cannot_list_or_manage_the_networks_items(
    make_item, network, other_member, camera
):
    with pytest.raises(PermissionDenied):
        make_item(by=other_member, network=network, kind=Item.Kind.LENS, title="50 mm")
    with pytest.raises(PermissionDenied):
        services.set_out_of_order(actor=other_member, item=camera, out_of_order=True)


def test_the_owner_reads_the_request_in_their_own_language(item, member, other_member):
    MemberLanguage.objects.create(user=member, language="fr")
    with translation.override("en"):  # the borrower browses in English
        services.request_loan(actor=other_member, item=item)
    notification = Notification.objects.get(recipient=member, kind="lending.loan_requested")
    assert "demande à emprunter" in notification.title
