from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from contrechamp.accounts.models import SPOKEN_LANGUAGES, Skill, User
from contrechamp.core.forms import CityField
from contrechamp.events.models import Event
from contrechamp.mentoring import queries
from contrechamp.mentoring.models import (
    MAX_CAPACITY,
    AgeBracket,
    Format,
    Level,
    MentoringProfile,
    SkillListing,
)
from contrechamp.mentoring.services import (
    AVAILABILITY_MAX,
    CHECK_IN_MONTHS,
    DECLINE_NOTE_MAX,
    DEFAULT_CHECK_IN_MONTHS,
    DESCRIPTION_MAX,
    GOALS_MAX,
    INTRODUCTION_MAX,
    MESSAGE_MAX,
    SESSION_NOTE_MAX,
    THANKS_MAX,
    TITLE_MAX,
    ListingDetails,
    ProfileDetails,
)

FREE_OF_CHARGE = _("Free of charge, always: on Contrechamp nobody pays to learn or to teach.")


def _skills() -> Any:
    return Skill.objects.order_by("position", "slug")


class WorkshopChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A workshop named by its title, network and day."""

    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.title} · {obj.network.name} · "
            f"{formats.date_format(timezone.localtime(obj.starts_at), 'SHORT_DATE_FORMAT')}"
        )


class ListingForm(forms.Form):
    """An offer or a request; `member` is its author (the workshops they may point to)."""

    skill = forms.ModelChoiceField(label=_("Domain"), queryset=Skill.objects.none())
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, initial=Level.ALL)
    format = forms.ChoiceField(
        label=_("Where"),
        choices=Format.choices,
        widget=forms.RadioSelect,
        initial=Format.IN_PERSON,
    )
    city = CityField(
        label=_("City"),
        required=False,
        help_text=_("Needed in person. Only the city is shown, never an address."),
    )
    workshop = WorkshopChoiceField(
        label=_("Workshop"),
        queryset=Event.objects.none(),
        required=False,
        help_text=_("Optional: a published workshop of one of your networks where it happens."),
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        member: User,
        current_workshop_id: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        skill = self.fields["skill"]
        assert isinstance(skill, forms.ModelChoiceField)  # noqa: S101 - declared above
        skill.queryset = _skills()
        self.fields["description"].help_text = FREE_OF_CHARGE
        if kind == SkillListing.Kind.OFFER:
            workshop = self.fields["workshop"]
            assert isinstance(workshop, forms.ModelChoiceField)  # noqa: S101
            workshop.queryset = queries.workshop_choices(member, current_workshop_id)
        else:
            del self.fields["workshop"]

    @staticmethod
    def initial_for(listing: SkillListing) -> dict[str, Any]:
        return {
            "skill": listing.skill_id,
            "title": listing.title,
            "description": listing.description,
            "level": listing.level,
            "format": listing.format,
            "city": listing.city_name,
            "workshop": listing.workshop_id,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        in_person = cleaned.get("format") in (Format.IN_PERSON, Format.BOTH)
        if in_person and not cleaned.get("city") and not self.has_error("city"):
            self.add_error("city", _("Give a city to meet in person, or choose online only."))
        return cleaned

    def details(self) -> ListingDetails:
        data = self.cleaned_data
        return ListingDetails(
            skill=data["skill"],
            title=data["title"],
            description=data["description"],
            level=data["level"],
            format=data["format"],
            place=data["city"],
            workshop=data.get("workshop"),
        )


class ProfileForm(forms.Form):
    """A member's mentoring profile: mentor part, mentee part, and what serves both."""

    offers_mentoring = forms.BooleanField(label=_("I offer mentoring"), required=False)
    mentor_skills = forms.ModelMultipleChoiceField(
        label=_("Domains I mentor in"),
        queryset=Skill.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    capacity = forms.IntegerField(
        label=_("Mentees at once"), min_value=1, max_value=MAX_CAPACITY, initial=2
    )
    accepting = forms.BooleanField(label=_("I accept new mentees"), required=False, initial=True)
    availability = forms.CharField(
        label=_("Availability"),
        max_length=AVAILABILITY_MAX,
        required=False,
        help_text=_("For example: “two evenings a month”, “weekends”."),
    )
    introduction = forms.CharField(
        label=_("What I can pass on"),
        max_length=INTRODUCTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    seeks_mentoring = forms.BooleanField(label=_("I am looking for a mentor"), required=False)
    learning_skills = forms.ModelMultipleChoiceField(
        label=_("Domains I want to learn"),
        queryset=Skill.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    learning_goals = forms.CharField(
        label=_("What I want to learn"),
        max_length=GOALS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    format = forms.ChoiceField(
        label=_("Where"), choices=Format.choices, widget=forms.RadioSelect, initial=Format.BOTH
    )
    city = CityField(
        label=_("City"),
        required=False,
        help_text=_("Needed in person. Only the city is shown, never an address."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages for mentoring"),
        choices=SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    age_bracket = forms.ChoiceField(
        label=_("My age bracket (private)"),
        choices=[("", _("I prefer not to say")), *AgeBracket.choices],
        required=False,
        help_text=_("Nobody but you ever sees it, on any page."),
    )
    match_by_age = forms.BooleanField(
        label=_("Let mentees who filter by age bracket find me"),
        required=False,
        help_text=_(
            "Members can look for a mentor of a given age bracket, across generations. "
            "Your bracket is never shown: you only appear, or not, in such a search."
        ),
    )

    MENTOR_FIELDS = ("offers_mentoring", "mentor_skills", "capacity", "accepting")
    SECTIONS = (
        (
            _("As a mentor"),
            (
                "offers_mentoring",
                "mentor_skills",
                "capacity",
                "accepting",
                "availability",
                "introduction",
            ),
        ),
        (_("As a mentee"), ("seeks_mentoring", "learning_skills", "learning_goals")),
        (_("For both"), ("format", "city", "languages")),
        (_("Across generations"), ("age_bracket", "match_by_age")),
    )

    def __init__(
        self, *args: Any, member: User, profile: MentoringProfile | None, **kwargs: Any
    ) -> None:
        if profile is None:
            initial: dict[str, Any] = {
                "offers_mentoring": member.offers_mentoring,
                "seeks_mentoring": member.seeks_mentoring,
                "city": member.city_name,
                "languages": list(member.languages),
            }
        else:
            initial = {
                "offers_mentoring": member.offers_mentoring,
                "seeks_mentoring": member.seeks_mentoring,
                "mentor_skills": list(profile.mentor_skills.all()),
                "capacity": profile.capacity,
                "accepting": profile.accepting,
                "availability": profile.availability,
                "introduction": profile.introduction,
                "learning_skills": list(profile.learning_skills.all()),
                "learning_goals": profile.learning_goals,
                "format": profile.format,
                "city": profile.city_name,
                "languages": list(profile.languages),
                "age_bracket": profile.age_bracket,
                "match_by_age": profile.match_by_age,
            }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for name in ("mentor_skills", "learning_skills"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
            field.queryset = _skills()

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(title), [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("offers_mentoring") and not cleaned.get("mentor_skills"):
            self.add_error("mentor_skills", _("Choose at least one domain you mentor in."))
        if cleaned.get("seeks_mentoring") and not cleaned.get("learning_skills"):
            self.add_error("learning_skills", _("Choose at least one domain you want to learn."))
        in_person = cleaned.get("format") in (Format.IN_PERSON, Format.BOTH)
        if in_person and not cleaned.get("city") and not self.has_error("city"):
            self.add_error("city", _("Give a city to meet in person, or choose online only."))
        return cleaned

    def details(self) -> ProfileDetails:
        data = self.cleaned_data
        return ProfileDetails(
            offers_mentoring=data["offers_mentoring"],
            seeks_mentoring=data["seeks_mentoring"],
            mentor_skills=list(data["mentor_skills"]),
            capacity=data["capacity"],
            accepting=data["accepting"],
            availability=data["availability"],
            introduction=data["introduction"],
            learning_skills=list(data["learning_skills"]),
            learning_goals=data["learning_goals"],
            format=data["format"],
            languages=data["languages"],
            place=data["city"],
            age_bracket=data["age_bracket"],
            match_by_age=data["match_by_age"],
        )


class MentorshipRequestForm(forms.Form):
    """A mentee asks a mentor; `skills` are the mentor's domains (None: the domain comes
    from the offer the request answers)."""

    skill = forms.ModelChoiceField(label=_("Domain"), queryset=Skill.objects.none())
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Introduce yourself: where you are, what you already know."),
    )
    goals = forms.CharField(
        label=_("Goals"),
        max_length=GOALS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you would like to be able to do at the end."),
    )

    def __init__(self, *args: Any, skills: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if skills is None:
            del self.fields["skill"]
        else:
            field = self.fields["skill"]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
            field.queryset = skills


class OfferHelpForm(forms.Form):
    """A mentor answers an open request."""

    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say how you could help, and when you are free."),
    )


class AcceptForm(forms.Form):
    check_in_months = forms.TypedChoiceField(
        label=_("Check in how it goes after"),
        choices=[
            (
                months,
                ngettext_lazy("%(count)d month", "%(count)d months", "count") % {"count": months},
            )
            for months in CHECK_IN_MONTHS
        ],
        coerce=int,
        initial=DEFAULT_CHECK_IN_MONTHS,
    )


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("A word of explanation (optional)"), max_length=DECLINE_NOTE_MAX, required=False
    )


class GoalsForm(forms.Form):
    goals = forms.CharField(
        label=_("Goals"),
        max_length=GOALS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SessionForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Short note"),
        max_length=SESSION_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you worked on; only the two of you read it."),
    )


class EndForm(forms.Form):
    thanks = forms.CharField(
        label=_("A word of thanks (optional)"),
        max_length=THANKS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
