from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contrechamp.accounts.models import User
from contrechamp.core import uploads
from contrechamp.guides import queries
from contrechamp.guides.models import (
    BODY_MAX,
    NOTE_MAX,
    SUMMARY_MAX,
    TAG_MAX,
    TAGS_PER_GUIDE,
    TITLE_MAX,
    Guide,
)
from contrechamp.guides.services import ATTACHMENT_TYPES, GuideDetails, split_tags
from contrechamp.networks.models import Network


class NetworkChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class NetworksField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class GuideForm(forms.Form):
    """A guide's text. On an edit, `based_on` carries the version the editor started from
    (the service refuses the save if another one happened since)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Guide.Kind.choices, initial=Guide.Kind.GUIDE)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX,
        required=False,
        help_text=_("One or two sentences shown in the list."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        strip=False,
        help_text=_(
            "Markdown: **bold**, *italics*, lists with “-”, “## ” for a heading, links. "
            "Checklists: one “- ” line per step."
        ),
        widget=forms.Textarea(attrs={"rows": 18}),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=TAGS_PER_GUIDE * (TAG_MAX + 2),
        help_text=_("Separated by commas, for example: 16 mm, plein air."),
    )
    note = forms.CharField(
        label=_("What changed"),
        max_length=NOTE_MAX,
        required=False,
        help_text=_("A few words for the history, for example: “added the cable list”."),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, member: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if member is not None:
            networks = queries.networks_member_can_publish_for(member)
            self.fields["network"] = NetworkChoiceField(
                label=_("On behalf of"),
                queryset=networks,
                required=False,
                empty_label=_("Myself"),
                help_text=_(
                    "A network's guide is edited by its admins and organisers, and its "
                    "members always see it."
                ),
            )
            self.order_fields(["network"])

    def details(self) -> GuideDetails:
        data = self.cleaned_data
        return GuideDetails(
            title=data["title"],
            body=data["body"],
            kind=data["kind"],
            summary=data["summary"],
            tags=split_tags(data["tags"]),
        )

    @staticmethod
    def initial_for(guide: Guide) -> dict[str, object]:
        return {
            "kind": guide.kind,
            "title": guide.title,
            "summary": guide.summary,
            "body": guide.body,
            "tags": ", ".join(tag.name for tag in guide.tags.all()),
            "based_on": guide.version,
        }


class SharingForm(forms.Form):
    is_public = forms.BooleanField(
        label=_("Public: anyone can read it, even without an account"), required=False
    )
    networks = NetworksField(
        label=_("Shared with these networks"),
        queryset=Network.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their members can read it. You can choose among the networks you belong to."),
    )

    def __init__(self, *args: Any, member: User, guide: Guide, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shared = [network.pk for network in guide.shared_with.all()]
        mine = queries.networks_to_share_with(member).values("pk")
        field = self.fields["networks"]
        assert isinstance(field, NetworksField)  # noqa: S101 - declared just above
        queryset = Network.objects.filter(pk__in=mine) | Network.objects.filter(pk__in=shared)
        if guide.owner_network_id is not None:
            queryset = queryset.exclude(pk=guide.owner_network_id)
        field.queryset = queryset.order_by("name")


class EditorForm(forms.Form):
    username = forms.CharField(
        label=_("Username of the member"),
        max_length=150,
        help_text=_("As shown in the address of their profile, for example: nora."),
    )

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip().lstrip("@")
        member = User.objects.filter(
            username__iexact=username, is_active=True, deleted_at__isnull=True
        ).first()
        if member is None:
            raise forms.ValidationError(_("No member has this username."))
        return member


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, image (JPEG, PNG, WebP), ODT, DOCX or spreadsheet (ODS, XLSX); 10 MB at most."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": uploads.accept_attribute(ATTACHMENT_TYPES)}
        ),
    )
