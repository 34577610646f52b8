"""The live app's part in a member's data export and account deletion."""

from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.live.models import Message, Presence, Reaction, Sanction


def export_member_live(user: User) -> dict[str, object]:
    """The chat messages the member wrote (deleted ones have no text left) and the
    sanctions they received."""
    messages = Message.objects.filter(author=user, deleted_at__isnull=True).order_by("pk")
    sanctions = Sanction.objects.filter(member=user).order_by("pk")
    return {
        "messages": [
            {"room": message.room_id, "text": message.body, "at": message.created_at.isoformat()}
            for message in messages
        ],
        "sanctions": [
            {
                "room": sanction.room_id,
                "kind": sanction.kind,
                "until": sanction.until.isoformat() if sanction.until else None,
            }
            for sanction in sanctions
        ],
    }


def erase_member_live(user: User) -> None:
    """Inside the deletion transaction: the member's words leave the rooms (the messages
    stay as tombstones so that ids keep their order), reactions and connections go."""
    Message.objects.filter(author=user, deleted_at__isnull=True).update(
        body="", deleted_at=timezone.now()
    )
    Reaction.objects.filter(member=user).delete()
    Presence.objects.filter(member=user).delete()
