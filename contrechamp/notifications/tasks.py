from django.tasks import task

from contrechamp.notifications import emails


@task()
def deliver(*, notification_id: int) -> None:
    """Email one notification the member wants at once; nothing if already emailed, meant
    for the digest or switched off since."""
    emails.send_now(notification_id)
