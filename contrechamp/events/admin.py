"""Site admin for events, read-mostly: events are created, published and cancelled through
the pages and their services, which check the rights, notify attendees and keep series
whole. Foreign keys are raw ids so no page lists every member, film or venue."""

from django.contrib import admin

from contrechamp.events.models import (
    Event,
    EventSeries,
    RightsHolder,
    Rsvp,
    Screening,
    Shift,
    ShiftSignup,
)


class ScreeningInline(admin.TabularInline[Screening, Event]):
    model = Screening
    extra = 0
    fields = ("film", "position", "rights_holder", "rights_status", "licence_reference", "fee")
    raw_id_fields = ("film", "rights_holder")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ("title", "kind", "network", "starts_at", "status", "visibility")
    list_filter = ("status", "kind", "visibility")
    search_fields = ("title",)
    date_hierarchy = "starts_at"
    list_select_related = ("network",)
    raw_id_fields = ("network", "venue", "festival", "series", "created_by")
    readonly_fields = ("status", "published_at", "cancelled_at", "latitude", "longitude")
    # Counting 50,000 events on every page of the list is a full scan for no use.
    show_full_result_count = False
    inlines = (ScreeningInline,)


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin[EventSeries]):
    list_display = ("network", "rule", "time_zone", "first_starts_at")
    list_select_related = ("network",)
    raw_id_fields = ("network", "created_by")
    readonly_fields = ("rule", "time_zone", "first_starts_at")


@admin.register(RightsHolder)
class RightsHolderAdmin(admin.ModelAdmin[RightsHolder]):
    list_display = ("name", "kind", "website", "email")
    list_filter = ("kind",)
    search_fields = ("name", "name_normalised")
    raw_id_fields = ("created_by", "updated_by")


@admin.register(Rsvp)
class RsvpAdmin(admin.ModelAdmin[Rsvp]):
    list_display = ("event", "member", "status", "created_at", "checked_in_at")
    list_filter = ("status",)
    list_select_related = ("event", "member")
    raw_id_fields = ("event", "member", "checked_in_by")
    readonly_fields = ("status", "waitlisted_at", "promoted_at")
    show_full_result_count = False


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin[Shift]):
    list_display = ("event", "role", "starts_at", "ends_at", "slots")
    list_filter = ("role",)
    list_select_related = ("event",)
    raw_id_fields = ("event",)


@admin.register(ShiftSignup)
class ShiftSignupAdmin(admin.ModelAdmin[ShiftSignup]):
    list_display = ("shift", "volunteer", "created_at")
    list_select_related = ("shift__event", "volunteer")
    raw_id_fields = ("shift", "volunteer")
