"""The one way every app tells a member something (`notify()`), and what a member does with
their notifications: read them, choose how each kind reaches them, unsubscribe."""

import functools
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.core.errors import Conflict, DomainError
from contrechamp.networks.models import Membership, Network, Role
from contrechamp.networks.permissions import ensure_role
from contrechamp.notifications import kinds, newsletter
from contrechamp.notifications.kinds import Delivery
from contrechamp.notifications.links import safe_local_path
from contrechamp.notifications.models import (
    MemberLanguage,
    Newsletter,
    Notification,
    Preference,
)
from contrechamp.notifications.tasks import deliver


def delivery_for(member: User, kind: str) -> Delivery:
    """How `member` hears about `kind`: their stored choice, else the kind's default."""
    chosen = (
        Preference.objects.filter(user=member, kind=kind).values_list("delivery", flat=True).first()
    )
    return _chosen_or(chosen, kinds.get(kind).default_delivery)


@contextmanager
def in_language_of(member: User) -> Iterator[None]:
    """Write what `member` will read in their language: wrap the building of a
    notification's title and body, and the `notify()` call, in it."""
    from contrechamp.notifications.emails import language_of

    with translation.override(language_of(member)):
        yield


def notify(
    *,
    recipient: User,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    actor: User | None = None,
) -> Notification | None:
    """Record a notification for `recipient` and schedule its email after the commit.

    `kind` is a slug registered in `notifications.kinds`; `title` and `body` are already
    translated in the recipient's language by the caller; `url` is a path on this site
    (anything else, such as another site's address, is dropped rather than stored).
    Nothing is sent to a deleted or inactive member, nor to the actor about their own act.
    The member's choice for the kind decides the email: at once (after the commit), in the
    daily digest, or none. Call it inside the caller's transaction: if that transaction
    rolls back, nothing is recorded and nothing is sent.
    """
    kinds.get(kind)  # an unregistered kind is a programming error
    if not recipient.is_active or recipient.deleted_at is not None:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        # One line: a title becomes an email subject, where a line break is refused.
        title=" ".join(title.split())[:200],
        body=body[:2000],
        url=safe_local_path(url) or "",
        actor=actor,
        delivery=delivery_for(recipient, kind),
    )
    if notification.delivery == Delivery.IMMEDIATE:
        transaction.on_commit(lambda: deliver.enqueue(notification_id=notification.pk))
    return notification


NOTIFY_BATCH = 1000


def notify_many(
    *,
    recipients: QuerySet[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    actor: User | None = None,
) -> int:
    """`notify()` for one text sent to many members (a newsletter), in a few queries per
    thousand recipients instead of a few per recipient; returns how many were notified.

    Same rules as `notify()`: inactive or deleted members and the actor are skipped, each
    member's own choice for the kind decides the email. Call it inside the caller's
    transaction."""
    default = kinds.get(kind).default_delivery
    title = " ".join(title.split())[:200]
    body, url = body[:2000], safe_local_path(url) or ""
    recipients = recipients.filter(is_active=True, deleted_at__isnull=True)
    if actor is not None:
        recipients = recipients.exclude(pk=actor.pk)
    member_ids = list(recipients.values_list("pk", flat=True))
    count = 0
    for start in range(0, len(member_ids), NOTIFY_BATCH):
        batch = member_ids[start : start + NOTIFY_BATCH]
        chosen = dict(
            Preference.objects.filter(user_id__in=batch, kind=kind).values_list(
                "user_id", "delivery"
            )
        )
        created = Notification.objects.bulk_create(
            Notification(
                recipient_id=member_id,
                kind=kind,
                title=title,
                body=body,
                url=url,
                actor=actor,
                delivery=_chosen_or(chosen.get(member_id), default),
            )
            for member_id in batch
        )
        immediate = [n.pk for n in created if n.delivery == Delivery.IMMEDIATE]
        if immediate:
            transaction.on_commit(functools.partial(_enqueue_deliveries, immediate))
        count += len(created)
    return count


def _chosen_or(chosen: str | None, default: Delivery) -> Delivery:
    return Delivery(chosen) if chosen in Delivery.values else default


def _enqueue_deliveries(notification_ids: list[int]) -> None:
    for notification_id in notification_ids:
        deliver.enqueue(notification_id=notification_id)


def _ensure_own(actor: User, notification: Notification) -> None:
    if notification.recipient_id != actor.pk:
        raise PermissionDenied(_("This notification is not yours."))


@transaction.atomic
def mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the member's own notifications as read (again is harmless)."""
    _ensure_own(actor, notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the member as read; returns how many changed."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def _drop_pending_emails(member: User, kind_slugs: Iterable[str]) -> None:
    """Notifications not emailed yet will not be: the member just switched these kinds off."""
    Notification.objects.filter(
        recipient=member, kind__in=list(kind_slugs), emailed_at__isnull=True
    ).exclude(delivery=Delivery.OFF).update(delivery=Delivery.OFF)


def _store_choices(member: User, choices: Mapping[str, Delivery]) -> None:
    defaults = {
        slug for slug, delivery in choices.items() if kinds.get(slug).default_delivery == delivery
    }
    Preference.objects.filter(user=member, kind__in=defaults).delete()
    overrides = {slug: delivery for slug, delivery in choices.items() if slug not in defaults}
    if overrides:
        now = timezone.now()
        Preference.objects.bulk_create(
            [
                Preference(user=member, kind=slug, delivery=delivery, updated_at=now)
                for slug, delivery in overrides.items()
            ],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["delivery", "updated_at"],
        )
    switched_off = [slug for slug, delivery in choices.items() if delivery == Delivery.OFF]
    if switched_off:
        _drop_pending_emails(member, switched_off)


def _locked_member(member: User) -> User:
    locked = User.objects.select_for_update().get(pk=member.pk)
    if not locked.is_active or locked.deleted_at is not None:
        raise PermissionDenied(_("This account is closed."))
    return locked


@transaction.atomic
def set_preferences(*, actor: User, member: User, choices: Mapping[str, str]) -> None:
    """Record how the member hears about each kind given (`kind slug → Delivery` value).

    Only the member themself may do it. An unknown kind or delivery is refused
    (DomainError) and nothing changes. Kinds switched off lose their pending emails.
    """
    if actor.pk != member.pk:
        raise PermissionDenied(_("You can only change your own notification settings."))
    known = {kind.slug for kind in kinds.all_kinds()}
    cleaned: dict[str, Delivery] = {}
    for slug, value in choices.items():
        if slug not in known or value not in Delivery.values:
            raise DomainError(_("This notification setting does not exist."))
        cleaned[slug] = Delivery(value)
    member = _locked_member(member)
    _store_choices(member, cleaned)


@transaction.atomic
def unsubscribe(*, actor: User, kind_slugs: Iterable[str]) -> list[kinds.Kind]:
    """Stop emails of these kinds for the member (they stay visible in the app).

    The member is who an unsubscribe link was signed for: the signature is their consent,
    no sign-in is needed. Kinds no longer registered are ignored. Returns the kinds
    switched off; doing it twice is harmless.
    """
    known = {kind.slug: kind for kind in kinds.all_kinds()}
    chosen = [known[slug] for slug in dict.fromkeys(kind_slugs) if slug in known]
    member = _locked_member(actor)
    _store_choices(member, {kind.slug: Delivery.OFF for kind in chosen})
    return chosen


@transaction.atomic
def remember_language(*, member: User, language: str) -> None:
    """Write the member's emails in `language` from now on (a code from LANGUAGES)."""
    if language not in dict(settings.LANGUAGES):
        return
    MemberLanguage.objects.update_or_create(
        user=member, defaults={"language": language, "updated_at": timezone.now()}
    )


NEWSLETTER_ROLES = (Role.ADMIN, Role.ORGANISER)
SUBJECT_MAX = 200
INTRODUCTION_MAX = 5000
# A second identical newsletter within this delay is a double submission, not a new one.
RESEND_GUARD = timedelta(hours=1)


def _check_newsletter_text(subject: str, introduction: str) -> tuple[str, str]:
    subject, introduction = " ".join(subject.split()), introduction.strip()
    if not subject:
        raise DomainError(_("Give the newsletter a subject."))
    if len(subject) > SUBJECT_MAX or len(introduction) > INTRODUCTION_MAX:
        raise DomainError(
            _("The subject holds %(subject)d characters at most, the introduction %(intro)d.")
            % {"subject": SUBJECT_MAX, "intro": INTRODUCTION_MAX}
        )
    if "\x00" in subject or "\x00" in introduction:
        raise DomainError(_("The newsletter contains a character that is not allowed."))
    return subject, introduction


def newsletter_recipients(network: Network) -> QuerySet[User]:
    """Who receives a network's newsletter: its active members whose account is open."""
    return User.objects.filter(
        network_memberships__network=network,
        network_memberships__status=Membership.Status.ACTIVE,
        is_active=True,
        deleted_at__isnull=True,
    ).order_by("pk")


@transaction.atomic
def send_newsletter(
    *, actor: User, network: Network, subject: str, introduction: str
) -> Newsletter:
    """An organiser or admin sends the network's newsletter to its active members.

    The sections registered in `newsletter` are composed now and stored with it, so the
    newsletter reads later as it was sent. Each member is notified (kind
    `networks.newsletter`, in the daily digest unless they chose otherwise). The same
    newsletter sent again within an hour is refused (Conflict): a double submission.
    """
    locked = Network.objects.select_for_update().filter(pk=network.pk).first()
    if locked is None:
        raise Conflict(_("This network no longer exists."))
    ensure_role(actor, locked, NEWSLETTER_ROLES)
    subject, introduction = _check_newsletter_text(subject, introduction)
    now = timezone.now()
    previous = Newsletter.objects.filter(network=locked).order_by("-sent_at", "-pk").first()
    if (
        previous is not None
        and previous.subject == subject
        and previous.introduction == introduction
        and now - previous.sent_at < RESEND_GUARD
    ):
        raise Conflict(_("This newsletter has just been sent."))
    sections = newsletter.compose(locked, newsletter.since(previous.sent_at if previous else None))
    sent = Newsletter.objects.create(
        network=locked,
        subject=subject,
        introduction=introduction,
        sections=sections,
        sent_by=actor,
        sent_at=now,
    )
    text = newsletter.as_text(introduction, sections)
    url = reverse("notifications:newsletter", args=[locked.slug, sent.pk])
    count = notify_many(
        recipients=newsletter_recipients(locked),
        kind=newsletter.KIND,
        title=f"{locked.name} · {subject}",
        body=text,
        url=url,
        actor=actor,
    )
    sent.recipient_count = count
    sent.save(update_fields=["recipient_count"])
    return sent
