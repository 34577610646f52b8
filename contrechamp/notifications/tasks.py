from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone

from contrechamp.notifications import kinds
from contrechamp.notifications.models import Notification


@task()
def deliver(*, notification_id: int) -> None:
    """Email one notification at once if its kind is delivered immediately."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed_at is not None:
        return
    if kinds.get(notification.kind).default_delivery != kinds.Delivery.IMMEDIATE:
        return
    recipient = notification.recipient
    if not recipient.email:
        return
    link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
    send_mail(
        subject=f"[Contrechamp] {notification.title}",
        message=f"{notification.body}\n\n{link}".strip(),
        from_email=None,
        recipient_list=[recipient.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
