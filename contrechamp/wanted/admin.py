"""Site admin for wanted requests, read-mostly: requests close and matches are found only
through the services, which tell the people concerned."""

from django.contrib import admin
from django.http import HttpRequest

from contrechamp.wanted.models import Match, WantedRequest


class MatchInline(admin.TabularInline[Match, WantedRequest]):
    model = Match
    fk_name = "request"
    extra = 0
    can_delete = False
    readonly_fields = ("source", "offer_id", "title", "where", "is_current", "found_at")
    exclude = ("url", "format", "audio_languages", "subtitle_languages", "languages_unstated")

    def has_add_permission(self, request: HttpRequest, obj: WantedRequest | None = None) -> bool:
        return False


@admin.register(WantedRequest)
class WantedRequestAdmin(admin.ModelAdmin[WantedRequest]):
    list_display = ("film", "requester", "network", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("film__title", "note")
    raw_id_fields = ("requester", "film", "network", "found_match")
    readonly_fields = ("status", "resolved_at")
    inlines = (MatchInline,)
