from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from contrechamp.accounts.models import User
from contrechamp.core.forms import CityField
from contrechamp.core.places import normalise
from contrechamp.networks import services
from contrechamp.networks.models import ASSIGNABLE_ROLES, Network, Role, RoleAssignment


class NetworkForm(forms.Form):
    """A network's public details; `with_charter` adds the optional first charter."""

    name = forms.CharField(label=_("Name"), max_length=services.NAME_MAX)
    kind = forms.ChoiceField(label=_("Type"), choices=Network.Kind.choices)
    is_online = forms.BooleanField(
        label=_("Online only (no city)"),
        required=False,
        help_text=_("An online community meets on the internet, not in a town."),
    )
    city = CityField(
        label=_("City"),
        required=False,
        help_text=_("Only the city is shown, never an address."),
    )
    join_policy = forms.ChoiceField(
        label=_("How people join"),
        choices=Network.JoinPolicy.choices,
        widget=forms.RadioSelect,
        initial=Network.JoinPolicy.OPEN,
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=services.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italics*, [links](https://…), lists."),
    )
    charter = forms.CharField(
        label=_("Charter (charte de bienveillance)"),
        required=False,
        max_length=services.CHARTER_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Optional. Members accept it when they join; you can publish new versions later."
        ),
    )

    def __init__(self, *args: Any, with_charter: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_charter:
            del self.fields["charter"]

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).split())
        if not any(character.isalnum() for character in normalise(name)):
            raise forms.ValidationError(_("Give the network a name with letters or digits."))
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("is_online") and not cleaned.get("city") and "city" not in self.errors:
            self.add_error("city", _("Give the network's city, or tick “Online only”."))
        return cleaned

    @classmethod
    def initial_for(cls, network: Network) -> dict[str, object]:
        return {
            "name": network.name,
            "kind": network.kind,
            "is_online": network.is_online,
            "city": network.city_name,
            "join_policy": network.join_policy,
            "website": network.website,
            "description": network.description,
        }


class JoinForm(forms.Form):
    accept_charter = forms.BooleanField(
        label=_("I have read the charter and I accept it"), required=False
    )
    message = forms.CharField(
        label=_("A word for the organisers (optional)"),
        required=False,
        max_length=services.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, has_charter: bool, asks_message: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_charter:
            self.fields["accept_charter"].required = True
            self.fields["accept_charter"].error_messages["required"] = _(
                "Tick the box to accept the charter: it is how this network works together."
            )
        else:
            del self.fields["accept_charter"]
        if not asks_message:
            del self.fields["message"]


class CharterForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the new version"),
        max_length=services.CHARTER_MAX,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown. Publishing asks every member to accept the new version."),
    )


class UsernameField(forms.CharField):
    """A member's username, cleaned to the active `User` (never a closed account)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> User | None:
        username = super().clean(value)
        if not username:
            return None
        user = User.objects.filter(
            username__iexact=username.strip(), is_active=True, deleted_at__isnull=True
        ).first()
        if user is None:
            raise forms.ValidationError(
                _("Nobody has the username “%(username)s”."),
                code="unknown_user",
                params={"username": username},
            )
        return user


class InviteForm(forms.Form):
    invitee = UsernameField(
        label=_("Username of the person to invite"),
        help_text=_("As shown on their profile page."),
    )


class AssignRoleForm(forms.Form):
    member = UsernameField(label=_("Member's username"))
    role = forms.ChoiceField(
        label=_("Role"), choices=[(role.value, role.label) for role in ASSIGNABLE_ROLES]
    )


class RevokeRoleForm(forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)


class AssignmentChoiceField(forms.ModelChoiceField[RoleAssignment]):
    """A current role assignment, shown as "Organiser — Juliette" (select its user)."""

    def label_from_instance(self, obj: RoleAssignment) -> str:
        return f"{Role(obj.role).label} — {obj.user.public_name}"


class HandoverForm(forms.Form):
    assignment = AssignmentChoiceField(
        label=_("Role to hand over"), queryset=RoleAssignment.objects.none()
    )
    successor = UsernameField(label=_("Successor's username"))
    notes = forms.CharField(
        label=_("Handover notes"),
        max_length=services.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Markdown. Contacts, recurring tasks, where things are: what your successor "
            "needs to carry on."
        ),
    )

    def __init__(self, *args: Any, assignments: QuerySet[RoleAssignment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(AssignmentChoiceField, self.fields["assignment"])
        field.queryset = assignments


class DecisionForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("decline", "decline")])


class RemoveMemberForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
