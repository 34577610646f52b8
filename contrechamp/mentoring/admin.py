"""Site admin for mentoring, read-mostly: mentorships change state only through the pages
and their services, which check capacity and tell the people concerned. The age bracket
is not listed: it is private even from lists an admin skims."""

from django.contrib import admin

from contrechamp.mentoring.models import (
    MentoringProfile,
    MentoringSession,
    Mentorship,
    SkillListing,
)


@admin.register(SkillListing)
class SkillListingAdmin(admin.ModelAdmin[SkillListing]):
    list_display = ("title", "kind", "skill", "author", "format", "city_name", "status")
    list_filter = ("kind", "status", "format")
    search_fields = ("title",)
    raw_id_fields = ("author", "workshop")


@admin.register(MentoringProfile)
class MentoringProfileAdmin(admin.ModelAdmin[MentoringProfile]):
    list_display = ("user", "capacity", "accepting", "format", "city_name")
    list_filter = ("accepting", "format")
    raw_id_fields = ("user",)
    exclude = ("age_bracket", "match_by_age")


class MentoringSessionInline(admin.TabularInline[MentoringSession, Mentorship]):
    model = MentoringSession
    extra = 0
    can_delete = False
    readonly_fields = ("held_on", "note", "logged_by", "created_at")

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin[Mentorship]):
    list_display = ("mentor", "mentee", "skill", "status", "started_at", "ended_at")
    list_filter = ("status",)
    raw_id_fields = ("mentor", "mentee", "listing", "ended_by")
    readonly_fields = ("status",)
    inlines = (MentoringSessionInline,)
