from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contrechamp.accounts.models import SPOKEN_LANGUAGES, User
from contrechamp.films import search as film_search
from contrechamp.films.models import Film
from contrechamp.wanted import queries
from contrechamp.wanted.models import NOTE_MAX, Format, Match
from contrechamp.wanted.services import RequestDetails

EVERYONE = ""


class WantedRequestForm(forms.Form):
    """A wanted request; `member` is its author (the networks they may show it to)."""

    film = forms.CharField(
        label=_("Film"),
        max_length=200,
        help_text=_("The film's title as in the catalogue, and its year if needed."),
    )
    formats = forms.MultipleChoiceField(
        label=_("Formats you are looking for"),
        choices=Format.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any format will do."),
    )
    audio_languages = forms.MultipleChoiceField(
        label=_("Audio languages"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any language will do."),
    )
    subtitle_languages = forms.MultipleChoiceField(
        label=_("Subtitles"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: with or without subtitles."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a screening, a course, a restoration: say what it is for."),
    )
    network = forms.ChoiceField(label=_("Who sees it"), required=False)

    def __init__(self, *args: Any, member: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.networks = {str(network.pk): network for network in queries.networks_of(member)}
        field = self.fields["network"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [
            (EVERYONE, _("Everyone")),
            *((pk, _("Members of %(name)s") % {"name": n.name}) for pk, n in self.networks.items()),
        ]

    def clean_film(self) -> Film:
        """The catalogue film named: the best match of its title, among the films of that
        year when the text ends with one ("La Jetée 1962", "La Jetée (1962)")."""
        text = " ".join(str(self.cleaned_data.get("film") or "").split())
        film = film_search.film_named(text)
        if film is None:
            raise forms.ValidationError(
                _("No film of the catalogue matches “%(text)s”: check the title."),
                params={"text": text},
            )
        return film

    def details(self) -> RequestDetails:
        data = self.cleaned_data
        return RequestDetails(
            film=data["film"],
            formats=data["formats"],
            audio_languages=data["audio_languages"],
            subtitle_languages=data["subtitle_languages"],
            note=data["note"],
            network=self.networks.get(data.get("network") or EVERYONE),
        )


class ResolveForm(forms.Form):
    """The author found a copy: through one of the offers found, or elsewhere."""

    match = forms.ChoiceField(label=_("Where did you find it?"), required=False)

    def __init__(self, *args: Any, matches: list[Match], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matches = {str(match.pk): match for match in matches}
        field = self.fields["match"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [
            ("", _("Elsewhere")),
            *((pk, f"{m.title} · {m.where}") for pk, m in self.matches.items()),
        ]

    def chosen_match(self) -> Match | None:
        return self.matches.get(self.cleaned_data.get("match") or "")
