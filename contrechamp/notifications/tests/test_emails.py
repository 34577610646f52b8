import io
from datetime import timedelta

import pytest
import time_machine
from django.template import loader
from django.utils import timezone, translation
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.notifications import emails, services
from contrechamp.notifications.kinds import Delivery
from contrechamp.notifications.models import MemberLanguage, Notification, Preference
from contrechamp.notifications.tests.conftest import AT_ONCE, DAILY, QUIET

pytestmark = pytest.mark.django_db


def choose(member, **choices):
    services.set_preferences(
        actor=member,
        member=member,
        choices={slug.replace("_", ".", 1): value for slug, value in choices.items()},
    )


def test_a_kind_meant_for_at_once_is_emailed_at_once_with_its_link(
    member, make_notification, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = make_notification(member, AT_ONCE, body="For Saturday.", url="/loans/3/")

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [member.email]
    assert email.subject == "[Contrechamp] Nora asks to borrow your DVD"
    assert "For Saturday." in email.body
    assert "http://127.0.0.1:8000/loans/3/" in email.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_every_email_carries_a_one_click_unsubscribe_link_in_its_headers(
    member, make_notification, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_notification(member, AT_ONCE)

    headers = mailoutbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://127.0.0.1:8000/notifications/unsubscribe/")
    assert link in mailoutbox[0].body


def test_the_members_choice_wins_over_the_kinds_default(
    member, make_notification, mailoutbox, django_capture_on_commit_callbacks
):
    choose(member, tests_at_once=Delivery.OFF, tests_quiet=Delivery.IMMEDIATE)

    with django_capture_on_commit_callbacks(execute=True):
        quiet_by_default = make_notification(member, QUIET, title="A thank-you")
        loud_by_default = make_notification(member, AT_ONCE, title="A loan request")

    assert [email.subject for email in mailoutbox] == ["[Contrechamp] A thank-you"]
    assert quiet_by_default.delivery == Delivery.IMMEDIATE
    assert loud_by_default.delivery == Delivery.OFF


def test_a_kind_switched_off_is_never_emailed_but_stays_in_the_app(
    member, make_notification, mailoutbox, django_capture_on_commit_callbacks
):
    choose(member, tests_daily=Delivery.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        make_notification(member, DAILY)

    assert emails.send_digests() == 0
    assert mailoutbox == []
    assert Notification.objects.filter(recipient=member).count() == 1


def test_a_digest_kind_waits_for_the_daily_digest(
    member, make_notification, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_notification(member, DAILY, title="Sébastien answered your question")

    assert mailoutbox == []
    assert emails.send_digests() == 1
    assert len(mailoutbox) == 1
    assert "Sébastien answered your question" in mailoutbox[0].body


def test_the_digest_gathers_a_members_notifications_into_one_email_each(
    member, other_member, outsider, make_notification, mailoutbox
):
    with zeal_ignore():
        for title in ("First", "Second", "Third"):
            make_notification(member, DAILY, title=title)
        make_notification(outsider, DAILY, title="For the outsider")

    assert emails.send_digests() == 2

    by_recipient = {email.to[0]: email for email in mailoutbox}
    assert set(by_recipient) == {member.email, outsider.email}
    mine = by_recipient[member.email]
    assert mine.subject == "[Contrechamp] Your day on Contrechamp: 3 new things"
    assert mine.body.index("First") < mine.body.index("Second") < mine.body.index("Third")
    assert "For the outsider" not in mine.body
    assert mine.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_digest_emails_a_notification_only_once(member, make_notification, mailoutbox):
    make_notification(member, DAILY, title="Once")

    assert emails.send_digests() == 1
    assert emails.send_digests() == 0
    make_notification(member, DAILY, title="Later")
    assert emails.send_digests() == 1

    assert ["Once" in email.body for email in mailoutbox] == [True, False]


def test_the_digest_works_through_members_in_batches(member, outsider, make_notification):
    with zeal_ignore():
        make_notification(member, DAILY)
        make_notification(outsider, DAILY)

    assert emails.send_digests(batch_size=1) == 2
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_switching_a_kind_off_drops_its_emails_still_waiting_for_the_digest(
    member, make_notification, mailoutbox
):
    make_notification(member, DAILY)

    choose(member, tests_daily=Delivery.OFF)

    assert emails.send_digests() == 0


def test_an_immediate_email_is_not_sent_twice(member, make_notification, mailoutbox):
    notification = make_notification(member, AT_ONCE)
    mailoutbox.clear()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=None)

    assert emails.send_now(notification.pk) is True
    assert emails.send_now(notification.pk) is False
    assert len(mailoutbox) == 1


def test_a_member_who_left_gets_no_email(member, make_notification, mailoutbox):
    make_notification(member, DAILY)
    member.is_active = False
    member.save()

    assert emails.send_digests() == 0
    assert mailoutbox == []


def spy_on_languages(monkeypatch):
    """The language active while each email is rendered (French text comes with the
    catalogs, filled in later; the choice of language is what is tested here)."""
    seen = []
    render = loader.render_to_string

    def spying(*args, **kwargs):
        seen.append(translation.get_language())
        return render(*args, **kwargs)

    monkeypatch.setattr("contrechamp.notifications.emails.render_to_string", spying)
    return seen


def test_emails_are_written_in_the_language_of_the_members_last_visit(
    member,
    outsider,
    make_notification,
    mailoutbox,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    languages = spy_on_languages(monkeypatch)
    MemberLanguage.objects.create(user=member, language="fr")
    MemberLanguage.objects.create(user=outsider, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        make_notification(member, AT_ONCE)
    make_notification(outsider, DAILY)
    emails.send_digests()

    assert languages == ["fr", "en"]


def test_a_member_with_no_known_language_is_written_to_in_the_sites_language(
    member, settings, make_notification, monkeypatch, django_capture_on_commit_callbacks
):
    languages = spy_on_languages(monkeypatch)
    settings.LANGUAGE_CODE = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        make_notification(member, AT_ONCE)

    assert languages == ["fr"]


def test_a_digest_scales_to_many_members_in_few_queries(
    make_notification, django_assert_max_num_queries
):
    def members(count, start):
        with zeal_ignore():
            for number in range(start, start + count):
                make_notification(UserFactory.create(username=f"reader{number}"), DAILY)

    members(3, 0)
    with django_assert_max_num_queries(20) as few:
        emails.send_digests()
    members(12, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        emails.send_digests()


def test_preferences_are_stored_only_where_they_differ_from_the_default(member):
    choose(member, tests_daily=Delivery.IMMEDIATE, tests_at_once=Delivery.IMMEDIATE)
    assert list(Preference.objects.values_list("kind", "delivery")) == [(DAILY, Delivery.IMMEDIATE)]

    choose(member, tests_daily=Delivery.DIGEST)
    assert not Preference.objects.exists()


def test_an_unknown_kind_or_delivery_is_refused(member):
    from contrechamp.core.errors import DomainError

    with pytest.raises(DomainError):
        services.set_preferences(actor=member, member=member, choices={"nope": "off"})
    with pytest.raises(DomainError):
        services.set_preferences(actor=member, member=member, choices={DAILY: "loud"})


def test_nobody_changes_another_members_preferences(member, other_member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.set_preferences(actor=other_member, member=member, choices={DAILY: "off"})
    assert not Preference.objects.exists()


def test_old_unsent_notifications_do_not_reach_a_member_who_switches_back_on(
    member, make_notification, mailoutbox
):
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        make_notification(member, QUIET)
    choose(member, tests_quiet=Delivery.DIGEST)

    assert emails.send_digests() == 0


def test_the_daily_digest_is_run_by_the_periodic_jobs(member, make_notification, mailoutbox):
    from django.core.management import call_command

    from contrechamp.core import periodic

    job = next(job for job in periodic.jobs() if job.name == "notifications.daily_digest")
    assert job.every == timedelta(days=1)
    make_notification(member, DAILY)

    with zeal_ignore():  # the other apps' jobs are theirs to test
        call_command("run_periodic_jobs", "--all", stdout=io.StringIO())

    assert [email.to for email in mailoutbox] == [[member.email]]


def test_a_long_body_is_shortened_and_indented_in_the_digest(member, make_notification, mailoutbox):
    make_notification(member, DAILY, title="Long", body="First line\nsecond line " + "x" * 500)

    emails.send_digests()

    body = mailoutbox[0].body
    assert "  First line\n  second line" in body
    assert "x" * 400 not in body


def test_when_the_mailer_fails_the_unsent_digests_wait_for_the_next_run(
    member, outsider, make_notification, mailoutbox, monkeypatch
):
    from django.core.mail.backends.locmem import EmailBackend

    with zeal_ignore():
        make_notification(member, DAILY, title="For Juliette")
        make_notification(outsider, DAILY, title="For the outsider")
    send = EmailBackend.send_messages
    calls = []

    def failing_second_time(self, messages):
        calls.append(messages)
        if len(calls) == 2:
            raise ConnectionError("the mail server went away")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", failing_second_time)

    with pytest.raises(ConnectionError):
        emails.send_digests()
    monkeypatch.setattr(EmailBackend, "send_messages", send)
    assert emails.send_digests() == 1

    assert [email.to for email in mailoutbox] == [[member.email], [outsider.email]]
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_when_the_mailer_fails_an_immediate_email_goes_in_the_next_digest(
    member, make_notification, mailoutbox, monkeypatch
):
    from django.core.mail.backends.locmem import EmailBackend

    notification = make_notification(member, QUIET)
    Notification.objects.filter(pk=notification.pk).update(delivery=Delivery.IMMEDIATE)

    def failing(self, messages):
        raise ConnectionError("the mail server went away")

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", failing)
        with pytest.raises(ConnectionError), zeal_ignore():  # a first run, apart
            emails.send_now(notification.pk)

    assert emails.send_now(notification.pk) is False
    assert emails.send_digests() == 1
    assert len(mailoutbox) == 1
