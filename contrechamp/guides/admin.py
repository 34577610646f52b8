"""Site admin for guides, read-mostly: guides change through their pages and services,
which keep the history and check who edits."""

from django.contrib import admin

from contrechamp.guides.models import Guide, GuideAttachment, GuideTag, GuideVersion


class VersionInline(admin.TabularInline[GuideVersion, Guide]):
    model = GuideVersion
    fields = ("number", "title", "author", "created_at", "note")
    readonly_fields = ("number", "title", "author", "created_at", "note")
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin[Guide]):
    list_display = ("title", "kind", "owner_user", "owner_network", "is_public", "version")
    list_filter = ("kind", "is_public")
    search_fields = ("title", "summary")
    raw_id_fields = ("owner_user", "owner_network", "created_by")
    filter_horizontal = ("tags",)
    readonly_fields = ("version", "helped_count", "created_at", "updated_at")
    inlines = (VersionInline,)


@admin.register(GuideAttachment)
class GuideAttachmentAdmin(admin.ModelAdmin[GuideAttachment]):
    list_display = ("original_name", "guide", "content_type", "size", "uploaded_at")
    raw_id_fields = ("guide", "uploaded_by")


admin.site.register(GuideTag)
