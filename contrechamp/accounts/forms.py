from typing import Any

from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from contrechamp.accounts import services
from contrechamp.accounts.models import SPOKEN_LANGUAGES, Skill, User, Visibility
from contrechamp.core.forms import CityField
from contrechamp.core.places import Place


class SignupForm(forms.Form):
    """Extra sign-up fields (allauth's ``ACCOUNT_SIGNUP_FORM_CLASS``).

    allauth's own sign-up form derives from this one: it adds email, username and
    passwords, and calls ``signup()`` once the new member is saved.
    """

    accept_code_of_conduct = forms.BooleanField(
        label=_("I have read the code of conduct and I accept it"),
        error_messages={"required": _("Joining Contrechamp means accepting its code of conduct.")},
    )
    # allauth applies this order once it has added its own fields.
    field_order = ["email", "username", "password1", "password2", "accept_code_of_conduct"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accept_code_of_conduct"].help_text = format_html(
            '<a href="{}">{}</a>',
            reverse("accounts:code_of_conduct"),
            _("Read the code of conduct"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        username = cleaned_data.get("username")
        # Deleted accounts are renamed "former-member-<id>": keep that name space free.
        if isinstance(username, str) and username.lower().startswith(
            services.DELETED_USERNAME_PREFIX
        ):
            self.add_error("username", _("This username is reserved. Choose another one."))
        return cleaned_data

    def signup(self, request: HttpRequest, user: User) -> None:
        services.accept_code_of_conduct(actor=user, member=user)


VISIBILITY_LABELS = {
    "city": _("Who sees my city"),
    "languages": _("Who sees my languages"),
    "bio": _("Who sees my bio"),
    "skills": _("Who sees my skills"),
    "equipment": _("Who sees my equipment"),
    "favourites": _("Who sees my favourite films and genres"),
    "mentoring": _("Who sees whether I offer or seek mentoring"),
}


class ProfileForm(forms.Form):
    """A member's profile and privacy settings, as one form on /me/."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("The name other members see. Empty: your username."),
    )
    city = CityField(
        label=_("City"),
        required=False,
        help_text=_(
            "Only the city is kept, as a point rounded to about a kilometre: never an address."
        ),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages I speak"),
        choices=SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    bio = forms.CharField(
        label=_("Short bio"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown works: **bold**, *italics*, [a link](https://…)."),
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("My skills"),
        queryset=Skill.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    equipment = forms.CharField(
        label=_("Equipment I own"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A camera, a projector, a boom microphone… so that others can ask you."),
    )
    favourite_films = forms.CharField(
        label=_("Favourite films"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One title per line."),
    )
    favourite_genres = forms.CharField(label=_("Favourite genres"), max_length=200, required=False)
    offers_mentoring = forms.BooleanField(label=_("I offer mentoring"), required=False)
    seeks_mentoring = forms.BooleanField(label=_("I am looking for a mentor"), required=False)

    SECTIONS = (
        (_("About me"), ("display_name", "city", "languages", "bio")),
        (_("What I can bring"), ("skills", "equipment")),
        (_("My cinema"), ("favourite_films", "favourite_genres")),
        (_("Mentoring"), ("offers_mentoring", "seeks_mentoring")),
    )

    def __init__(self, *args: Any, member: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "display_name": member.display_name,
                "city": member.city_name,
                "languages": list(member.languages),
                "bio": member.bio,
                "skills": list(member.skills.all()),
                "equipment": member.equipment,
                "favourite_films": member.favourite_films,
                "favourite_genres": member.favourite_genres,
                "offers_mentoring": member.offers_mentoring,
                "seeks_mentoring": member.seeks_mentoring,
                **{
                    f"visibility_{group}": member.visibility_of(group)
                    for group in User.PRIVACY_FIELDS
                },
            },
        )
        super().__init__(*args, **kwargs)
        for group in User.PRIVACY_FIELDS:
            self.fields[f"visibility_{group}"] = forms.ChoiceField(
                label=VISIBILITY_LABELS[group], choices=Visibility.choices
            )

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields grouped under headings, privacy last."""
        grouped = [(str(title), [self[name] for name in names]) for title, names in self.SECTIONS]
        grouped.append(
            (str(_("Privacy")), [self[f"visibility_{group}"] for group in User.PRIVACY_FIELDS])
        )
        return grouped

    def save(self, *, actor: User, member: User) -> User:
        """Apply the cleaned form through the service (call only when the form is valid)."""
        data = self.cleaned_data
        place: Place | None = data["city"]
        return services.update_profile(
            actor=actor,
            member=member,
            display_name=data["display_name"],
            city=place.name if place else "",
            languages=data["languages"],
            bio=data["bio"],
            skills=data["skills"],
            equipment=data["equipment"],
            favourite_films=data["favourite_films"],
            favourite_genres=data["favourite_genres"],
            offers_mentoring=data["offers_mentoring"],
            seeks_mentoring=data["seeks_mentoring"],
            visibility={group: data[f"visibility_{group}"] for group in User.PRIVACY_FIELDS},
        )


class DeleteAccountForm(forms.Form):
    """Asks for the password once more before an account is deleted."""

    password = forms.CharField(
        label=_("Your password"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, member: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password
