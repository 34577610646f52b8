"""Site admin for networks. It is a tool for the instance's operators: everyday changes
by members go through the pages and their services, which keep the last-admin rule."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from contrechamp.core.places import normalise
from contrechamp.networks.models import (
    CharterAcceptance,
    CharterVersion,
    Membership,
    Network,
    RoleAssignment,
    RoleHandover,
)


class MembershipInline(admin.TabularInline[Membership, Network]):
    model = Membership
    fk_name = "network"
    extra = 0
    raw_id_fields = ("user", "invited_by")
    fields = ("user", "status", "joined_at", "invited_by")
    show_change_link = True


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, Network]):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("user", "assigned_by", "ended_by")
    fields = ("user", "role", "started_at", "ended_at", "assigned_by", "ended_by")


class NetworkAdminForm(forms.ModelForm[Network]):
    class Meta:
        model = Network
        fields = (
            "name",
            "slug",
            "kind",
            "description",
            "city_name",
            "latitude",
            "longitude",
            "is_online",
            "website",
            "join_policy",
            "current_charter",
            "created_by",
            "created_at",
        )

    def clean_name(self) -> str:
        """The unique key derives from the name (it is not a form field, so Django's own
        constraint validation skips it): a duplicate is a form error, not a database error."""
        name = str(self.cleaned_data["name"])
        key = normalise(name)
        if Network.objects.filter(name_normalised=key).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A network with this name already exists."))
        self.instance.name_normalised = key
        return name


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin[Network]):
    list_display = ("name", "kind", "city_name", "is_online", "join_policy", "created_at")
    list_filter = ("kind", "join_policy", "is_online")
    search_fields = ("name", "name_normalised", "city_name", "slug")
    readonly_fields = ("name_normalised",)
    raw_id_fields = ("current_charter", "created_by")
    date_hierarchy = "created_at"
    inlines = (RoleAssignmentInline, MembershipInline)

    form = NetworkAdminForm
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "network", "status", "joined_at")
    list_filter = ("status",)
    search_fields = ("user__username", "network__name")
    raw_id_fields = ("user", "network", "invited_by")
    list_select_related = ("user", "network")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    list_display = ("user", "network", "role", "started_at", "ended_at")
    list_filter = ("role",)
    search_fields = ("user__username", "network__name")
    raw_id_fields = ("user", "network", "assigned_by", "ended_by")
    list_select_related = ("user", "network")


@admin.register(RoleHandover)
class RoleHandoverAdmin(admin.ModelAdmin[RoleHandover]):
    list_display = ("network", "role", "handed_over_by", "created_at")
    list_filter = ("role",)
    search_fields = ("network__name", "notes")
    raw_id_fields = ("network", "ended_assignment", "started_assignment", "handed_over_by")
    list_select_related = ("network", "handed_over_by")


@admin.register(CharterVersion)
class CharterVersionAdmin(admin.ModelAdmin[CharterVersion]):
    list_display = ("network", "number", "published_at", "published_by")
    search_fields = ("network__name",)
    raw_id_fields = ("network", "published_by")
    list_select_related = ("network", "published_by")


@admin.register(CharterAcceptance)
class CharterAcceptanceAdmin(admin.ModelAdmin[CharterAcceptance]):
    list_display = ("user", "network", "version", "accepted_at")
    search_fields = ("user__username", "network__name")
    raw_id_fields = ("user", "network", "version")
    list_select_related = ("user", "network", "version")
