from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrechamp.accounts.models import User
from contrechamp.core.forms import CityField
from contrechamp.films import search as film_search
from contrechamp.films.models import Film
from contrechamp.lending.models import Item
from contrechamp.lending.services import ItemDetails

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
MYSELF = "me"


class ItemForm(forms.Form):
    """What an owner says about an item; `owners` lists the networks the person may list
    items for (the item is theirs otherwise)."""

    owner = forms.ChoiceField(label=_("Owner"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Item.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    film = forms.CharField(
        label=_("Film"),
        required=False,
        max_length=200,
        help_text=_("For a disc, a reel or a poster: the film's title, and its year if needed."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    condition = forms.ChoiceField(
        label=_("Condition"), choices=Item.Condition.choices, initial=Item.Condition.GOOD
    )
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, 5 MB at most."),
    )
    deposit = forms.DecimalField(
        label=_("Deposit (€)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(99999),
        decimal_places=2,
        max_digits=8,
        help_text=_("Optional: what the borrower leaves with you until the item comes back."),
    )
    city = CityField(
        label=_("Pickup area"), help_text=_("A city: only the city is shown, never an address.")
    )
    offers_loan = forms.BooleanField(label=_("For loan"), required=False, initial=True)
    offers_swap = forms.BooleanField(label=_("For swap"), required=False)
    offers_gift = forms.BooleanField(label=_("To give away"), required=False)
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Item.Visibility.choices,
        widget=forms.RadioSelect,
        initial=Item.Visibility.PUBLIC,
    )
    is_valuable = forms.BooleanField(
        label=_("Valuable: lend only to members with a track record"), required=False
    )
    min_on_time_returns = forms.IntegerField(
        label=_("Loans returned on time required"),
        required=False,
        min_value=0,
        max_value=100,
        initial=0,
    )
    parts = forms.ModelMultipleChoiceField(
        label=_("Parts of the kit"),
        queryset=Item.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a kit: booking the kit books all these items."),
    )

    def __init__(
        self,
        *args: Any,
        networks: QuerySet[Any] | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        network_list = list(networks) if networks is not None else []
        self.networks = {network.slug: network for network in network_list}
        if editing or not network_list:
            del self.fields["owner"]
        else:
            owner = self.fields["owner"]
            assert isinstance(owner, forms.ChoiceField)  # noqa: S101 - declared above
            owner.choices = [(MYSELF, _("Me")), *[(n.slug, n.name) for n in network_list]]
            owner.initial = MYSELF
        parts = self.fields["parts"]
        assert isinstance(parts, forms.ModelMultipleChoiceField)  # noqa: S101
        if network_list:
            parts.queryset = (
                Item.objects.filter(
                    owner_network__in=network_list,
                    kind__in=Item.EQUIPMENT_KINDS - {Item.Kind.KIT},
                    is_withdrawn=False,
                )
                .select_related("owner_network")
                .order_by("owner_network__name_normalised", "title")
            )
        else:
            del self.fields["parts"]

    @staticmethod
    def initial_for(item: Item) -> dict[str, Any]:
        return {
            "kind": item.kind,
            "title": item.title,
            "film": f"{item.film.title} {item.film.year}" if item.film else "",
            "description": item.description,
            "condition": item.condition,
            "deposit": item.deposit,
            "city": item.city_name,
            "offers_loan": item.offers_loan,
            "offers_swap": item.offers_swap,
            "offers_gift": item.offers_gift,
            "visibility": item.visibility,
            "is_valuable": item.is_valuable,
            "min_on_time_returns": item.min_on_time_returns,
            "parts": list(item.parts.all()),
        }

    def clean_title(self) -> str:
        title = " ".join(str(self.cleaned_data["title"]).split())
        if not title:
            raise forms.ValidationError(_("Give the item a title."))
        return title

    def clean_film(self) -> Film | None:
        """The catalogue film the owner named: the best match of its title (and year)."""
        text = " ".join(str(self.cleaned_data.get("film") or "").split())
        if not text:
            return None
        film = film_search.film_named(text)
        if film is None:
            raise forms.ValidationError(
                _(
                    "No film of the catalogue matches “%(text)s”: check the title or leave "
                    "it empty."
                ),
                params={"text": text},
            )
        return film

    def clean_photo(self) -> UploadedFile[Any] | None:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        if photo.size is not None and photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("This photo is larger than 5 MB."))
        # ImageField has already opened it with Pillow; refuse formats browsers cannot show.
        image = getattr(photo, "image", None)
        if image is None or image.format not in PHOTO_FORMATS:
            raise forms.ValidationError(_("Send a JPEG, PNG, WebP or GIF image."))
        return photo  # type: ignore[no-any-return]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (
            cleaned.get("offers_loan") or cleaned.get("offers_swap") or cleaned.get("offers_gift")
        ):
            self.add_error("offers_loan", _("Offer the item for loan, swap or gift."))
        return cleaned

    def owner_network(self) -> Any:
        return self.networks.get(self.cleaned_data.get("owner") or MYSELF)

    def details(self) -> ItemDetails:
        data = self.cleaned_data
        return ItemDetails(
            kind=data["kind"],
            title=data["title"],
            place=data["city"],
            description=data["description"],
            condition=data["condition"],
            deposit=data["deposit"] or Decimal(0),
            offers_loan=data["offers_loan"],
            offers_swap=data["offers_swap"],
            offers_gift=data["offers_gift"],
            visibility=data["visibility"],
            is_valuable=data["is_valuable"],
            min_on_time_returns=data["min_on_time_returns"] or 0,
            film=data.get("film"),
        )


class LoanRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the owner"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When you would like it, how you can pick it up."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcceptForm(forms.Form):
    pickup_note = forms.CharField(
        label=_("Pickup arrangements"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where and when to meet: only the borrower sees it."),
    )


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class HandOverForm(forms.Form):
    due_on = forms.DateField(label=_("Return date"), widget=DateInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_on"].initial = timezone.localdate() + timedelta(days=14)


class ExtensionForm(forms.Form):
    until = forms.DateField(label=_("Keep it until"), widget=DateInput)
    note = forms.CharField(label=_("Why"), required=False, max_length=1000)


class ReturnForm(forms.Form):
    condition_note = forms.CharField(
        label=_("Condition on return"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BookingForm(forms.Form):
    start = forms.DateTimeField(label=_("From"), widget=DateTimeInput)
    end = forms.DateTimeField(label=_("Until"), widget=DateTimeInput)
    purpose = forms.CharField(
        label=_("What for"),
        required=False,
        max_length=500,
        help_text=_("A shoot, a screening…: it helps the equipment managers decide."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, datetime) and isinstance(end, datetime) and end <= start:
            self.add_error("end", _("The end must come after the start."))
        return cleaned


class OutOfOrderForm(forms.Form):
    note = forms.CharField(label=_("What is wrong"), required=False, max_length=500)


class ManagerForm(forms.Form):
    username = forms.CharField(label=_("Member's username"), max_length=150)

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        member = User.objects.filter(username=username, deleted_at__isnull=True).first()
        if member is None:
            raise forms.ValidationError(_("No member has this username."))
        return member


class SwapForm(forms.Form):
    """Propose some of one's items for the item on the page (none: ask for a gift)."""

    offered = forms.ModelMultipleChoiceField(
        label=_("What you offer in return"),
        queryset=Item.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, member: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = self.fields["offered"]
        assert isinstance(offered, forms.ModelMultipleChoiceField)  # noqa: S101
        offered.queryset = Item.objects.filter(owner_user=member, is_withdrawn=False).order_by(
            "title"
        )


class UrgentRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What you need"),
        choices=[(k, label) for k, label in Item.Kind.choices if k in Item.EQUIPMENT_KINDS],
    )
    start = forms.DateTimeField(label=_("From"), widget=DateTimeInput)
    end = forms.DateTimeField(label=_("Until"), widget=DateTimeInput)
    city = CityField(label=_("Near the city"))
    note = forms.CharField(
        label=_("What happened, what you shoot"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, datetime) and isinstance(end, datetime) and end <= start:
            self.add_error("end", _("The end must come after the start."))
        return cleaned


class UrgentOfferForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Your equipment"), queryset=Item.objects.none())
    message = forms.CharField(label=_("Message"), required=False, max_length=1000)

    def __init__(self, *args: Any, items: QuerySet[Item], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = items
