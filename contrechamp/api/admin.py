"""Site admin for API tokens, read only: a token is made and revoked by its owner on
/me/tokens/, and its secret is known to nobody else."""

from django.contrib import admin
from django.http import HttpRequest

from contrechamp.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "owner", "prefix", "scope", "created_at", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("name", "owner__username", "prefix")
    raw_id_fields = ("owner",)
    exclude = ("secret_hash",)
    readonly_fields = (
        "owner",
        "name",
        "prefix",
        "scope",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
