"""The notifications app's part in a member's data export and account deletion.

Registered with `contrechamp.accounts.registry` in `NotificationsConfig.ready()`.
"""

from datetime import datetime

from contrechamp.accounts.models import User
from contrechamp.notifications.models import MemberLanguage, Notification, Preference


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_member_notifications(user: User) -> dict[str, object]:
    """The member's notifications, their choices per kind and the language of their emails."""
    language = MemberLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    return {
        "email_language": language,
        "preferences": [
            {"kind": kind, "delivery": delivery}
            for kind, delivery in Preference.objects.filter(user=user)
            .order_by("kind")
            .values_list("kind", "delivery")
        ],
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "url": n.url,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
                "emailed_at": _iso(n.emailed_at),
            }
            for n in Notification.objects.filter(recipient=user).order_by("pk")
        ],
    }


def delete_member_notifications(user: User) -> None:
    """Inside the deletion transaction: what was said to the member and their settings go."""
    Notification.objects.filter(recipient=user).delete()
    Preference.objects.filter(user=user).delete()
    MemberLanguage.objects.filter(user=user).delete()
