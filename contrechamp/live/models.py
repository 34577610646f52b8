"""Live rooms: one per event or per network, its chat messages, reactions, sanctions,
the moderation audit, who is connected, and the watch party's shared player state.

Message ids increase within a room in commit order (posting locks the room row), so a
client that reconnects asks for "messages after id N" and gets neither duplicates nor gaps.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrechamp.events.models import Event
from contrechamp.networks.models import Network

REACTIONS = ("👏", "❤️", "😂", "😮", "🎬")


class Room(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="live_rooms")
    # None: the network's own room.
    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="live_room"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Watch party: a video on the allow-list, a host who drives it, and the last state the
    # host set. The position now is `position + (now - state_at)` while playing.
    video_url = models.URLField(_("video address"), max_length=500, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_playing = models.BooleanField(default=False)
    position = models.FloatField(default=0.0)
    state_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network"],
                condition=Q(event__isnull=True),
                name="live_one_room_per_network",
            ),
            models.CheckConstraint(condition=Q(position__gte=0), name="live_position_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("live:room", args=[self.pk])

    @property
    def title(self) -> str:
        return self.event.title if self.event_id and self.event else self.network.name

    def position_at(self, moment: datetime) -> float:
        if not self.is_playing:
            return self.position
        return self.position + max(0.0, (moment - self.state_at).total_seconds())


class Message(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    # None once the author deleted their account: the words stay, signed "a former member".
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        indexes = [models.Index(fields=["room", "id"], name="live_message_room_id")]

    def __str__(self) -> str:
        return f"#{self.pk} in room {self.room_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Reaction(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=8, choices=[(emoji, emoji) for emoji in REACTIONS])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "member", "emoji"], name="live_one_reaction_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.emoji} on {self.message_id}"


class Sanction(models.Model):
    class Kind(models.TextChoices):
        MUTE = "mute", _("Muted")
        BAN = "ban", _("Banned")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="sanctions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    # None: until lifted.
    until = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["room", "member"], name="live_sanction_room_member")]

    def __str__(self) -> str:
        return f"{self.kind} {self.member_id} in {self.room_id}"


class ModerationAction(models.Model):
    """The audit: one row per moderation action, never edited."""

    class Kind(models.TextChoices):
        DELETE = "delete", _("Deleted a message")
        MUTE = "mute", _("Muted a member")
        BAN = "ban", _("Banned a member from the room")
        LIFT = "lift", _("Lifted a sanction")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="moderation_actions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=6, choices=Kind.choices)
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The words removed, kept for the audit: the message row shows nothing once deleted.
    excerpt = models.CharField(max_length=300, blank=True)
    until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} in {self.room_id}"


class Presence(models.Model):
    """One open websocket. Rows survive a crashed process only until they go stale:
    a live connection refreshes `seen_at` with each ping."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="presences")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel_name = models.CharField(max_length=200, unique=True)
    in_voice = models.BooleanField(default=False)
    connected_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["room", "seen_at"], name="live_presence_room_seen")]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.room_id}"
