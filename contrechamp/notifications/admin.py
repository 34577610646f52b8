from django.contrib import admin
from django.http import HttpRequest

from contrechamp.notifications.models import Newsletter, Notification


class _ReadOnly[M: (Notification, Newsletter)](admin.ModelAdmin[M]):
    """What was said to members is a record: looked at, never rewritten by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(_ReadOnly[Notification]):
    list_display = ("title", "recipient", "kind", "delivery", "created_at", "read_at", "emailed_at")
    list_filter = ("kind", "delivery")
    list_select_related = ("recipient",)
    search_fields = ("title", "recipient__username")
    raw_id_fields = ("recipient", "actor")
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(Newsletter)
class NewsletterAdmin(_ReadOnly[Newsletter]):
    list_display = ("subject", "network", "sent_by", "sent_at", "recipient_count")
    list_select_related = ("network", "sent_by")
    search_fields = ("subject", "network__name")
    raw_id_fields = ("network", "sent_by")
