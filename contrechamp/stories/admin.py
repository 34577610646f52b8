"""Site admin for stories, read-mostly: stories, tags and recommendations change through
the pages and their services, which ask the people tagged and tell the people concerned."""

from django.contrib import admin

from contrechamp.stories.models import Comment, Endorsement, NetworkTag, PersonTag, Story


class NetworkTagInline(admin.TabularInline[NetworkTag, Story]):
    model = NetworkTag
    raw_id_fields = ("network", "removed_by")
    extra = 0


class PersonTagInline(admin.TabularInline[PersonTag, Story]):
    model = PersonTag
    raw_id_fields = ("person",)
    extra = 0


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin[Story]):
    list_display = ("title", "author", "status", "published_at")
    list_filter = ("status",)
    search_fields = ("title",)
    raw_id_fields = ("author",)
    inlines = (NetworkTagInline, PersonTagInline)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin[Comment]):
    list_display = ("story", "author", "created_at")
    raw_id_fields = ("story", "author")


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin[Endorsement]):
    list_display = ("network", "author", "updated_at")
    raw_id_fields = ("network", "author", "story")
