"""The one way every app tells a member something: `notify()`."""

from django.db import transaction

from contrechamp.accounts.models import User
from contrechamp.notifications import kinds
from contrechamp.notifications.models import Notification


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
    translated in the recipient's language by the caller; `url` is a path on this site.
    Nothing is sent to a deleted or inactive member, nor to the actor about their own act.
    Call it inside the caller's transaction: if that transaction rolls back, nothing is
    recorded and nothing is sent.
    """
    kinds.get(kind)  # an unregistered kind is a programming error
    if not recipient.is_active or recipient.deleted_at is not None:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=title[:200],
        body=body[:2000],
        url=url[:500],
        actor=actor,
    )
    from contrechamp.notifications.tasks import deliver

    transaction.on_commit(lambda: deliver.enqueue(notification_id=notification.pk))
    return notification
