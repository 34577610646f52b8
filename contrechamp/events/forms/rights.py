from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contrechamp.core import uploads
from contrechamp.events.models import RightsHolder, Screening
from contrechamp.events.services import rights as services
from contrechamp.events.services.rights import RightsHolderDetails

MARKDOWN_HELP = _("Markdown: **bold**, *italics*, [links](https://…), lists.")
# File pickers offer these (by extension and by type); the service checks the content.
DOCUMENT_ACCEPT = uploads.accept_attribute(uploads.DOCUMENTS)


class DateInput(forms.DateInput):
    """A native date picker: it reads and sends ISO dates whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class RightsHolderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=services.HOLDER_NAME_MAX)
    kind = forms.ChoiceField(label=_("Type"), choices=RightsHolder.Kind.choices)
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=services.WEBSITE_MAX,
        assume_scheme="https",
    )
    email = forms.EmailField(
        label=_("Email for rights requests"),
        required=False,
        max_length=services.EMAIL_MAX,
        help_text=_("A service address published by the organisation, not a person's own."),
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=services.PHONE_MAX)
    how_to_request = forms.CharField(
        label=_("How to request rights"),
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HELP,
    )
    notes = forms.CharField(
        label=_("Notes shared with every network"),
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What other clubs should know: what to ask for, how fast they answer, usual "
            "conditions. Every network reads them. Markdown."
        ),
    )

    def details(self) -> RightsHolderDetails:
        data = self.cleaned_data
        return RightsHolderDetails(
            name=data["name"],
            kind=data["kind"],
            website=data["website"],
            email=data["email"],
            phone=data["phone"],
            how_to_request=data["how_to_request"],
            notes=data["notes"],
        )

    @staticmethod
    def initial_for(holder: RightsHolder) -> dict[str, str]:
        return {
            "name": holder.name,
            "kind": holder.kind,
            "website": holder.website,
            "email": holder.email,
            "phone": holder.phone,
            "how_to_request": holder.how_to_request,
            "notes": holder.notes,
        }


class ScreeningRightsForm(forms.Form):
    holder = forms.ModelChoiceField(
        label=_("Rights holder"),
        queryset=RightsHolder.objects.order_by("name_normalised"),
        required=False,
        empty_label=_("Not known yet"),
        help_text=_("The distributor, cinémathèque or person who grants the right to show it."),
    )
    status = forms.ChoiceField(
        label=_("Where the rights stand"),
        choices=Screening.RightsStatus.choices,
        help_text=_(
            "“Private circle”: shown to members only, never advertised outside the network."
        ),
    )
    licence_reference = forms.CharField(
        label=_("Licence reference"),
        required=False,
        max_length=services.LICENCE_REFERENCE_MAX,
    )
    fee = forms.DecimalField(
        label=_("Fee (€)"),
        required=False,
        min_value=Decimal(0),
        max_value=services.FEE_MAX,
        max_digits=8,
        decimal_places=2,
    )
    requested_on = forms.DateField(label=_("Requested on"), required=False, widget=DateInput)
    answered_on = forms.DateField(label=_("Answered on"), required=False, widget=DateInput)
    notes = forms.CharField(
        label=_("Notes for the organisers"),
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @staticmethod
    def initial_for(screening: Screening) -> dict[str, object]:
        return {
            "holder": screening.rights_holder_id,
            "status": screening.rights_status,
            "licence_reference": screening.licence_reference,
            "fee": screening.fee,
            "requested_on": screening.rights_requested_on,
            "answered_on": screening.rights_answered_on,
            "notes": screening.rights_notes,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        requested, answered = cleaned.get("requested_on"), cleaned.get("answered_on")
        if requested and answered and answered < requested:
            self.add_error("answered_on", _("The answer cannot come before the request."))
        return cleaned


class RightsDocumentForm(forms.Form):
    upload = forms.FileField(
        label=_("Document"),
        help_text=_("A licence, contract or letter: PDF, PNG, JPEG, ODT or DOCX, 10 MB at most."),
        widget=forms.FileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )
