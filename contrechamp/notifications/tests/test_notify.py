import pytest
from django.db import transaction
from django.utils import timezone

from contrechamp.notifications.models import Notification
from contrechamp.notifications.services import notify
from contrechamp.notifications.tests.conftest import AT_ONCE, DAILY, QUIET

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_notification_is_recorded_for_the_recipient(member, other_member):
    notification = notify(
        recipient=member,
        kind=QUIET,
        title="Nora thanks you",
        body="Merci !",
        url="/films/1/",
        actor=other_member,
    )

    assert notification is not None
    stored = Notification.objects.get()
    assert (stored.recipient, stored.kind, stored.title, stored.url) == (
        member,
        QUIET,
        "Nora thanks you",
        "/films/1/",
    )
    assert stored.read_at is None


def test_an_unregistered_kind_is_a_programming_error(member):
    with pytest.raises(KeyError):
        notify(recipient=member, kind="nobody.registered", title="?")


def test_an_inactive_member_is_not_notified(member):
    member.is_active = False
    member.save()

    assert notify(recipient=member, kind=AT_ONCE, title="Hello") is None
    assert not Notification.objects.exists()


def test_a_deleted_member_is_not_notified(member):
    member.deleted_at = timezone.now()
    member.save()

    assert notify(recipient=member, kind=AT_ONCE, title="Hello") is None
    assert not Notification.objects.exists()


def test_nobody_is_notified_of_their_own_act(member):
    assert notify(recipient=member, kind=AT_ONCE, title="You did it", actor=member) is None
    assert not Notification.objects.exists()


def test_a_rolled_back_transaction_leaves_no_notification_and_sends_no_email(member, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipient=member, kind=AT_ONCE, title="Loan requested")
        raise RuntimeError("the caller failed after notifying")

    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_the_email_leaves_only_once_the_transaction_commits(member, mailoutbox):
    with transaction.atomic():
        notify(recipient=member, kind=AT_ONCE, title="Loan requested")
        assert mailoutbox == []

    assert len(mailoutbox) == 1


def test_over_long_texts_are_cut_to_what_the_columns_hold(member):
    notification = notify(recipient=member, kind=DAILY, title="t" * 500, body="b" * 5000)

    assert notification is not None
    notification.refresh_from_db()
    assert (len(notification.title), len(notification.body)) == (200, 2000)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "javascript:alert(1)",
        "films/1/",
        "/films/\n1/",
        "/" + "a" * 600,
    ],
)
def test_a_link_to_anywhere_but_a_path_here_is_dropped(member, url):
    notification = notify(recipient=member, kind=QUIET, title="Look", url=url)

    assert notification is not None
    assert Notification.objects.get().url == ""


def test_a_title_is_kept_on_one_line_so_that_it_can_be_an_email_subject(member, mailoutbox):
    notify(recipient=member, kind=AT_ONCE, title="Line one\r\nBcc: victim@example.org")

    assert Notification.objects.get().title == "Line one Bcc: victim@example.org"
    assert mailoutbox[0].subject == "[Contrechamp] Line one Bcc: victim@example.org"
