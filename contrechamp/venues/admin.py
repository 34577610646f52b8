"""Site admin for venues. Renaming a venue or moving it to another town goes through its
page ("Edit this venue", open to the staff for every venue): the service keeps one name
per town and places the venue from the gazetteer, so here those fields are read-only."""

from django.contrib import admin
from django.http import HttpRequest

from contrechamp.venues.models import Venue


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin[Venue]):
    list_display = ("name", "kind", "city_name", "postcode", "capacity", "created_by")
    list_filter = (
        "kind",
        "has_dcp_projector",
        "has_35mm_projector",
        "has_16mm_projector",
        "step_free_access",
        "hearing_loop",
    )
    search_fields = ("name", "name_normalised", "city_name", "postcode")
    list_select_related = ("created_by",)
    readonly_fields = (
        "name",
        "city_name",
        "latitude",
        "longitude",
        "created_by",
        "created_at",
        "updated_at",
    )
    ordering = ("name_normalised", "pk")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New venues come through /venues/new/ or `manage.py load_venues`, which place them.
        return False
