"""The emails notifications become: one at once, or a daily digest, each in the member's
language, each with a one-click unsubscribe link for the kinds it carries (RFC 8058).

A notification is emailed once: it is claimed (`emailed_at` set) in the database before
its email is handed to the mailer, so a second run, or two runs at the same time, cannot
send it again; if the mailer fails, what was not sent is released for the next run.
"""

from collections.abc import Sequence
from itertools import groupby

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage, mailers
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.notifications import kinds, unsubscribe
from contrechamp.notifications.kinds import Delivery
from contrechamp.notifications.models import MemberLanguage, Notification

DIGEST_BATCH = 500
DIGEST_BODY_LENGTH = 300


def language_of(member: User) -> str:
    """The language of the member's last request, else the site's default.

    Uses the row when the caller selected it (`select_related("notification_language")`),
    otherwise reads it with one small query (services notify members one by one)."""
    if User.notification_language.is_cached(member):
        try:
            return str(member.notification_language.language)
        except ObjectDoesNotExist:
            return str(settings.LANGUAGE_CODE)
    language = MemberLanguage.objects.filter(user=member).values_list("language", flat=True).first()
    return str(language or settings.LANGUAGE_CODE)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _kind_label(slug: str) -> str:
    try:
        return str(kinds.get(slug).label)
    except KeyError:  # a kind an app no longer registers still reads as something
        return slug


def _message(member: User, subject: str, template: str, context: dict[str, object]) -> EmailMessage:
    kind_slugs = sorted({str(slug) for slug in context["kind_slugs"]})  # type: ignore[attr-defined]
    unsubscribe_url = unsubscribe.absolute_url(member.pk, kind_slugs)
    context = {
        **context,
        "member": member,
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": _absolute(reverse("notifications:preferences")),
        "kind_labels": [_kind_label(slug) for slug in kind_slugs],
        "SITE_NAME": "Contrechamp",
    }
    body = render_to_string(template, context)
    return EmailMessage(
        subject=f"[Contrechamp] {subject}",
        body=body,
        to=[member.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def notification_message(notification: Notification) -> EmailMessage:
    """The email of one notification, in its recipient's language."""
    member = notification.recipient
    with translation.override(language_of(member)):
        return _message(
            member,
            notification.title,
            "notifications/email/notification.txt",
            {
                "notification": notification,
                "link": _absolute(notification.url) if notification.url else "",
                "kind_slugs": [notification.kind],
            },
        )


def digest_message(member: User, notifications: Sequence[Notification]) -> EmailMessage:
    """One email gathering the member's notifications of the day, in their language."""
    with translation.override(language_of(member)):
        count = len(notifications)
        return _message(
            member,
            _("Your day on Contrechamp: %(count)d new things") % {"count": count}
            if count > 1
            else _("Your day on Contrechamp: %(title)s") % {"title": notifications[0].title},
            "notifications/email/digest.txt",
            {
                "items": [
                    {
                        "notification": notification,
                        # Indented under its title: a digest reads as a list.
                        "body": Truncator(notification.body)
                        .chars(DIGEST_BODY_LENGTH)
                        .replace("\n", "\n  "),
                        "link": _absolute(notification.url) if notification.url else "",
                    }
                    for notification in notifications
                ],
                "inbox_url": _absolute(reverse("notifications:inbox")),
                "kind_slugs": [notification.kind for notification in notifications],
            },
        )


def _send(outgoing: Sequence[tuple[EmailMessage, list[int]]]) -> int:
    """Send each message (with the notifications it carries, already claimed) over one
    connection. If the mailer fails, the notifications of the messages not sent are
    released for the next run, and the error goes up to the task or job runner."""
    if not outgoing:
        return 0
    sent = 0
    with mailers.default as connection:
        for index, (message, _ids) in enumerate(outgoing):
            try:
                connection.send_messages([message])
            except Exception:
                unsent = [pk for _message, ids in outgoing[index:] for pk in ids]
                Notification.objects.filter(pk__in=unsent).update(emailed_at=None)
                raise
            sent += 1
    return sent


def send_now(notification_id: int) -> bool:
    """Email one notification meant for at once, unless it already was; True if sent.

    If the mailer fails, the notification moves to the next daily digest and the error
    goes up to the task runner."""
    claimed = Notification.objects.filter(
        pk=notification_id,
        delivery=Delivery.IMMEDIATE,
        emailed_at__isnull=True,
        recipient__is_active=True,
        recipient__deleted_at__isnull=True,
    ).update(emailed_at=timezone.now())
    if not claimed:
        return False
    notification = Notification.objects.select_related(
        "recipient", "recipient__notification_language"
    ).get(pk=notification_id)
    if not notification.recipient.email:
        return False
    try:
        return _send([(notification_message(notification), [notification.pk])]) > 0
    except Exception:
        # Nothing retries a task by itself: the next daily digest carries it instead.
        Notification.objects.filter(pk=notification.pk).update(delivery=Delivery.DIGEST)
        raise


def _pending_digest() -> models.QuerySet[Notification]:
    return Notification.objects.filter(
        delivery=Delivery.DIGEST,
        emailed_at__isnull=True,
        recipient__is_active=True,
        recipient__deleted_at__isnull=True,
    ).exclude(recipient__email="")


def _claim_digest_batch(recipient_ids: list[int]) -> list[Notification]:
    with transaction.atomic():
        claimed = list(
            _pending_digest()
            .filter(recipient_id__in=recipient_ids)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "recipient__notification_language")
            .order_by("recipient_id", "created_at", "pk")
        )
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(
            emailed_at=timezone.now()
        )
    return claimed


def send_digests(*, batch_size: int = DIGEST_BATCH) -> int:
    """Email each member the digest of their notifications not emailed yet; returns how
    many digests were sent. Idempotent: what was emailed once is never emailed again."""
    sent = 0
    last_recipient = 0
    while True:
        recipient_ids = list(
            _pending_digest()
            .filter(recipient_id__gt=last_recipient)
            .order_by("recipient_id")
            .values_list("recipient_id", flat=True)
            .distinct()[:batch_size]
        )
        if not recipient_ids:
            return sent
        last_recipient = recipient_ids[-1]
        claimed = _claim_digest_batch(recipient_ids)
        groups = [list(rows) for _recipient, rows in groupby(claimed, key=lambda n: n.recipient_id)]
        sent += _send(
            [(digest_message(group[0].recipient, group), [n.pk for n in group]) for group in groups]
        )
