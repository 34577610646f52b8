"""Site admin for projects, read-mostly: applications, teams and call sheets change
through the pages and their services, which check the rules and tell the people
concerned."""

from django.contrib import admin

from contrechamp.projects.models import Application, Project, RoleCall, ShootingDay


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin[Project]):
    list_display = ("title", "kind", "status", "visibility", "owner", "city_name", "created_at")
    list_filter = ("kind", "status", "visibility")
    search_fields = ("title", "slug")
    raw_id_fields = ("owner", "network")


@admin.register(RoleCall)
class RoleCallAdmin(admin.ModelAdmin[RoleCall]):
    list_display = ("title", "project", "kind", "people_needed", "deadline", "status")
    list_filter = ("kind", "status", "is_paid")
    search_fields = ("title", "project__title")
    raw_id_fields = ("project", "created_by")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    list_display = ("applicant", "role_call", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("applicant", "role_call")
    readonly_fields = ("status", "decided_at")


@admin.register(ShootingDay)
class ShootingDayAdmin(admin.ModelAdmin[ShootingDay]):
    list_display = ("project", "date", "general_call", "published_at")
    raw_id_fields = ("project", "venue")
    filter_horizontal = ("bookings",)
