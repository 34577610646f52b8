from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contrechamp.accounts.models import User
from contrechamp.films import fields
from contrechamp.films.imports import MAX_UPLOAD_BYTES
from contrechamp.films.models import Availability, FilmList, Genre, Recommendation
from contrechamp.networks.models import Membership, Network

STAR_CHOICES = [(f"{half / 2:g}", f"{half / 2:g}") for half in range(1, 11)]


class FilmForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("French title"), max_length=fields.TITLE_MAX)
    original_title = forms.CharField(
        label=gettext_lazy("Original title"), max_length=fields.TITLE_MAX, required=False
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1870, max_value=9999)
    directors = forms.CharField(
        label=gettext_lazy("Directors"),
        max_length=1000,
        required=False,
        help_text=gettext_lazy("Separate names with commas."),
    )
    cast = forms.CharField(
        label=gettext_lazy("Cast"),
        max_length=3000,
        required=False,
        help_text=gettext_lazy("Leading actors first, separated by commas."),
    )
    countries = forms.CharField(
        label=gettext_lazy("Countries"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Two-letter codes separated by commas: FR, IT."),
    )
    languages = forms.CharField(
        label=gettext_lazy("Languages"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Two-letter codes separated by commas: fr, it."),
    )
    genres = forms.MultipleChoiceField(
        label=gettext_lazy("Genres"),
        choices=Genre.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    runtime_minutes = forms.IntegerField(
        label=gettext_lazy("Runtime (minutes)"), min_value=1, max_value=6000, required=False
    )
    synopsis = forms.CharField(
        label=gettext_lazy("Synopsis"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        required=False,
        help_text=gettext_lazy("In your own words (Markdown). Never copy a published text."),
    )
    wikidata_id = forms.CharField(label=gettext_lazy("Wikidata id"), max_length=20, required=False)
    imdb_id = forms.CharField(label=gettext_lazy("IMDb id"), max_length=20, required=False)
    tmdb_id = forms.CharField(label=gettext_lazy("TMDB id"), max_length=20, required=False)


class SynopsisForm(forms.Form):
    synopsis = forms.CharField(
        label=gettext_lazy("Synopsis"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=10000,
        required=False,
        help_text=gettext_lazy("In your own words (Markdown). Never copy a published text."),
    )


class PosterForm(forms.Form):
    poster = forms.FileField(
        label=gettext_lazy("Poster"),
        help_text=gettext_lazy("A JPEG, PNG or WebP image of 5 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class AvailabilityForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Availability.Kind.choices)
    place = forms.CharField(
        label=gettext_lazy("Place or service"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("The médiathèque, the platform, the cinema…"),
    )
    url = forms.CharField(
        label=gettext_lazy("Link"),
        max_length=500,
        required=False,
        widget=forms.URLInput,
        help_text=gettext_lazy("A web address starting with https://"),
    )
    territory = forms.CharField(
        label=gettext_lazy("Territory"),
        max_length=2,
        required=False,
        initial="FR",
        help_text=gettext_lazy("Two-letter country code; empty for anywhere."),
    )
    audio_languages = forms.CharField(
        label=gettext_lazy("Audio languages"), max_length=60, required=False
    )
    subtitle_languages = forms.CharField(
        label=gettext_lazy("Subtitle languages"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("Two-letter codes separated by commas: fr, en."),
    )


class RatingForm(forms.Form):
    stars = forms.ChoiceField(label=gettext_lazy("Your rating (stars)"), choices=STAR_CHOICES)


class UploadForm(forms.Form):
    """A file to import: refused above 10 MB before it is read."""

    file = forms.FileField(label=gettext_lazy("File"))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file must be 10 MB at most."), code="too_large")
        return upload


class CatalogueImportForm(UploadForm):
    FORMATS = (
        ("csv", gettext_lazy("Catalogue CSV")),
        ("wikidata", gettext_lazy("Wikidata entity JSON")),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=FORMATS, widget=forms.RadioSelect, initial="csv"
    )
    field_order = ("format", "file")


class RecommendationForm(forms.Form):
    why = forms.CharField(
        label=gettext_lazy("Why you recommend it"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=gettext_lazy("What touched you, who it is for (Markdown)."),
    )
    tags = forms.MultipleChoiceField(
        label=gettext_lazy("Tags"),
        choices=Recommendation.Tag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("For"),
        choices=Recommendation.Audience.choices,
        initial=Recommendation.Audience.PUBLIC,
        widget=forms.RadioSelect,
    )
    network = forms.ModelChoiceField(
        label=gettext_lazy("Network"),
        queryset=Network.objects.none(),
        required=False,
        help_text=gettext_lazy("When it is for one of your networks."),
    )
    recipient = forms.CharField(
        label=gettext_lazy("Member's username"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("When it is for one member."),
    )

    def __init__(self, *args: Any, member: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        network_field = self.fields["network"]
        if isinstance(network_field, forms.ModelChoiceField):
            network_field.queryset = Network.objects.filter(
                memberships__user=member, memberships__status=Membership.Status.ACTIVE
            ).order_by("name_normalised")

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        audience = data.get("audience")
        if audience == Recommendation.Audience.NETWORK and not data.get("network"):
            self.add_error("network", _("Choose the network to recommend it to."))
        if audience == Recommendation.Audience.MEMBER:
            username = data.get("recipient", "").strip()
            found = User.objects.filter(
                username__iexact=username, is_active=True, deleted_at__isnull=True
            ).first()
            if found is None:
                self.add_error("recipient", _("No member has this username."))
            data["recipient_member"] = found
        return data


class FilmListForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    network = forms.ModelChoiceField(
        label=gettext_lazy("Shared with a network"),
        queryset=Network.objects.none(),
        required=False,
        help_text=gettext_lazy("Leave empty for a personal list (anyone can read it)."),
    )

    def __init__(self, *args: Any, member: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        network_field = self.fields["network"]
        if isinstance(network_field, forms.ModelChoiceField):
            network_field.queryset = Network.objects.filter(
                memberships__user=member, memberships__status=Membership.Status.ACTIVE
            ).order_by("name_normalised")


class AddToListForm(forms.Form):
    film_list = forms.ModelChoiceField(label=gettext_lazy("List"), queryset=FilmList.objects.none())
    note = forms.CharField(
        label=gettext_lazy("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, lists: QuerySet[FilmList], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        list_field = self.fields["film_list"]
        if isinstance(list_field, forms.ModelChoiceField):
            list_field.queryset = lists
