from django.contrib import admin

from contrechamp.live.models import ModerationAction, Room, Sanction


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin[Room]):
    list_display = ("pk", "network", "event", "video_url", "host")
    raw_id_fields = ("network", "event", "host")


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin[Sanction]):
    list_display = ("room", "member", "kind", "until", "lifted_at")
    raw_id_fields = ("room", "member")


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin[ModerationAction]):
    """The audit is read, never edited."""

    list_display = ("created_at", "room", "actor", "kind", "target")
    raw_id_fields = ("room", "actor", "target", "message")

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False
