from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contrechamp.core.forms import CityField
from contrechamp.core.places import normalise
from contrechamp.venues import services
from contrechamp.venues.models import Venue
from contrechamp.venues.services import VenueDetails

MARKDOWN_HELP = _("Markdown: **bold**, *italics*, [links](https://…), lists.")


class VenueForm(forms.Form):
    """What a member says about a venue; the service checks the rest (duplicates)."""

    name = forms.CharField(label=_("Name"), max_length=services.NAME_MAX)
    kind = forms.ChoiceField(label=_("Type"), choices=Venue.Kind.choices)
    address = forms.CharField(
        label=_("Street address"),
        required=False,
        max_length=services.ADDRESS_MAX,
        help_text=_("Number and street, as on a letter. Leave it empty if you are not sure."),
    )
    postcode = forms.CharField(
        label=_("Postcode"), required=False, max_length=services.POSTCODE_MAX
    )
    city = CityField(
        label=_("City"),
        help_text=_("The map places the venue at the centre of its town."),
    )
    capacity = forms.IntegerField(
        label=_("Seats"),
        required=False,
        min_value=1,
        max_value=services.CAPACITY_MAX,
        help_text=_("Leave it empty if you do not know."),
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=services.WEBSITE_MAX, assume_scheme="https"
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=services.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )
    has_dcp_projector = forms.BooleanField(label=_("DCP digital projector"), required=False)
    has_35mm_projector = forms.BooleanField(label=_("35 mm projector"), required=False)
    has_16mm_projector = forms.BooleanField(label=_("16 mm projector"), required=False)
    has_video_projector = forms.BooleanField(label=_("Video projector"), required=False)
    has_sound_system = forms.BooleanField(label=_("Sound system"), required=False)
    equipment_notes = forms.CharField(
        label=_("Other equipment"),
        required=False,
        max_length=services.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Screen size, formats, microphones, what must be booked ahead…"),
    )
    step_free_access = forms.BooleanField(label=_("Step-free access"), required=False)
    hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)
    accessibility_notes = forms.CharField(
        label=_("Accessibility"),
        required=False,
        max_length=services.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wheelchair places, lift, subtitles for the deaf and hard of hearing…"),
    )

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).split())
        if not any(character.isalnum() for character in normalise(name)):
            raise forms.ValidationError(_("Give the venue a name with letters or digits."))
        return name

    def details(self) -> VenueDetails:
        """The cleaned form as the service's input (call after `is_valid()`)."""
        data: dict[str, Any] = self.cleaned_data
        return VenueDetails(
            name=data["name"],
            kind=data["kind"],
            place=data["city"],
            address=data["address"],
            postcode=data["postcode"],
            capacity=data["capacity"],
            website=data["website"],
            description=data["description"],
            has_dcp_projector=data["has_dcp_projector"],
            has_35mm_projector=data["has_35mm_projector"],
            has_16mm_projector=data["has_16mm_projector"],
            has_video_projector=data["has_video_projector"],
            has_sound_system=data["has_sound_system"],
            equipment_notes=data["equipment_notes"],
            step_free_access=data["step_free_access"],
            hearing_loop=data["hearing_loop"],
            accessibility_notes=data["accessibility_notes"],
        )

    @staticmethod
    def initial_for(venue: Venue) -> dict[str, object]:
        return {
            "name": venue.name,
            "kind": venue.kind,
            "address": venue.address,
            "postcode": venue.postcode,
            "city": venue.city_name,
            "capacity": venue.capacity,
            "website": venue.website,
            "description": venue.description,
            "has_dcp_projector": venue.has_dcp_projector,
            "has_35mm_projector": venue.has_35mm_projector,
            "has_16mm_projector": venue.has_16mm_projector,
            "has_video_projector": venue.has_video_projector,
            "has_sound_system": venue.has_sound_system,
            "equipment_notes": venue.equipment_notes,
            "step_free_access": venue.step_free_access,
            "hearing_loop": venue.hearing_loop,
            "accessibility_notes": venue.accessibility_notes,
        }
