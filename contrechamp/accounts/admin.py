from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contrechamp.accounts import services
from contrechamp.accounts.models import Skill, User
from contrechamp.core.errors import DomainError


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin[Skill]):
    list_display = ("name_fr", "name_en", "slug", "position")
    list_editable = ("position",)
    search_fields = ("slug", "name_fr", "name_en")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    """Members. City and coordinates are read-only: only the profile service sets them,
    rounded; an account is deleted through the "anonymise" action, never row deletion."""

    list_display = (
        "username",
        "display_name",
        "email",
        "city_name",
        "is_active",
        "is_staff",
        "date_joined",
        "deleted_at",
    )
    list_filter = (
        "is_active",
        "is_staff",
        "is_superuser",
        "offers_mentoring",
        "seeks_mentoring",
        ("deleted_at", admin.EmptyFieldListFilter),
        "skills",
        "date_joined",
    )
    search_fields = ("username", "display_name", "email", "city_name", "first_name", "last_name")
    ordering = ("-date_joined",)
    filter_horizontal = ("skills", "groups", "user_permissions")
    readonly_fields = (
        "city_name",
        "code_of_conduct_version",
        "code_of_conduct_accepted_at",
        "deleted_at",
        "last_login",
        "date_joined",
    )
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("Profile"),
            {
                "fields": (
                    "display_name",
                    "city_name",
                    "languages",
                    "bio",
                    "skills",
                    "equipment",
                    "favourite_films",
                    "favourite_genres",
                    "offers_mentoring",
                    "seeks_mentoring",
                    "visibility",
                )
            },
        ),
        (
            _("Code of conduct and deletion"),
            {"fields": ("code_of_conduct_version", "code_of_conduct_accepted_at", "deleted_at")},
        ),
    )
    actions = ("anonymise_accounts",)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Deleting the row would take with it what other members depend on.
        return False

    @admin.action(description=_("Delete the selected accounts (anonymise)"))
    def anonymise_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = request.user
        if not isinstance(actor, User):
            return
        done = 0
        for member in queryset.filter(deleted_at__isnull=True):
            try:
                services.delete_account(actor=actor, member=member)
            except (DomainError, PermissionDenied) as error:
                reason = error.message if isinstance(error, DomainError) else str(error)
                self.message_user(request, f"{member.username}: {reason}", level=messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d account deleted.", "%(count)d accounts deleted.", done)
                % {"count": done},
                level=messages.SUCCESS,
            )
