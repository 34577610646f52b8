"""Site admin for lending, read-mostly: loans, bookings and swaps change state only
through the pages and their services, which keep the audit trail and the no-overlap rule."""

from django.contrib import admin

from contrechamp.lending.models import (
    Booking,
    EquipmentManager,
    Item,
    Loan,
    LoanEvent,
    Swap,
    UrgentRequest,
)


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin[Item]):
    list_display = ("title", "kind", "owner_user", "owner_network", "city_name", "is_withdrawn")
    list_filter = ("kind", "visibility", "is_out_of_order", "is_withdrawn")
    search_fields = ("title",)
    raw_id_fields = ("owner_user", "owner_network", "parts")


class LoanEventInline(admin.TabularInline[LoanEvent, Loan]):
    model = LoanEvent
    extra = 0
    can_delete = False
    readonly_fields = ("actor", "action", "note", "created_at")

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin[Loan]):
    list_display = ("item", "borrower", "status", "due_on", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("item", "borrower")
    readonly_fields = ("status",)
    inlines = (LoanEventInline,)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin[Booking]):
    list_display = ("item", "booked_by", "start", "end", "status")
    list_filter = ("status",)
    raw_id_fields = ("item", "booked_by", "kit_booking", "decided_by")
    readonly_fields = ("status",)


@admin.register(EquipmentManager)
class EquipmentManagerAdmin(admin.ModelAdmin[EquipmentManager]):
    list_display = ("network", "user", "added_at")
    raw_id_fields = ("network", "user", "added_by")


@admin.register(Swap)
class SwapAdmin(admin.ModelAdmin[Swap]):
    list_display = ("proposer", "recipient", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("proposer", "recipient", "offered", "wanted")
    readonly_fields = ("status",)


@admin.register(UrgentRequest)
class UrgentRequestAdmin(admin.ModelAdmin[UrgentRequest]):
    list_display = ("requester", "kind", "city_name", "start", "status")
    list_filter = ("status", "kind")
    raw_id_fields = ("requester",)
