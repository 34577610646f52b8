import re
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contrechamp.accounts.models import User
from contrechamp.core import uploads
from contrechamp.core.places import normalise
from contrechamp.networks.models import Network
from contrechamp.stories import queries
from contrechamp.stories.models import (
    ALT_MAX,
    BODY_MAX,
    COMMENT_MAX,
    ENDORSEMENT_MAX,
    LEAD_MAX,
    TITLE_MAX,
    Story,
)
from contrechamp.stories.services import MAX_NETWORK_TAGS, MAX_PERSON_TAGS

IMAGE_ACCEPT = uploads.accept_attribute(uploads.IMAGES)
LINE_MAX = 200


def _lines(value: str, *, limit: int) -> list[str]:
    items = [" ".join(line.split()) for line in re.split(r"[\n,]", value or "")]
    return list(dict.fromkeys(item[:LINE_MAX] for item in items if item))[: limit + 1]


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    lead = forms.CharField(
        label=_("Lead"),
        max_length=LEAD_MAX,
        required=False,
        help_text=_("One or two sentences shown in the list of stories."),
    )
    body = forms.CharField(
        label=_("Story"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Markdown: **bold**, *italics*, lists, links. Place an image added below "
            "with [[image 1]] on a line of its own."
        ),
    )
    networks = forms.CharField(
        label=_("Networks involved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Their names, one per line. They are shown at once; their admins may remove the tag."
        ),
    )
    people = forms.CharField(
        label=_("People involved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Their usernames, one per line. Each is shown only after they accept."),
    )
    cover = forms.FileField(
        label=_("Cover image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("JPEG, PNG or WebP, 8 MB at most."),
    )
    cover_alt = forms.CharField(
        label=_("Description of the cover image"),
        max_length=ALT_MAX,
        required=False,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)
    publish = forms.BooleanField(
        label=_("Publish it"),
        required=False,
        help_text=_("Unticked, it stays a draft that only you and the people tagged can read."),
    )

    def __init__(self, *args: Any, story: Story | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if story is None or not story.cover:
            del self.fields["remove_cover"]
        self.fields["cover"].widget = forms.FileInput(attrs={"accept": IMAGE_ACCEPT})

    @staticmethod
    def initial_for(story: Story) -> dict[str, Any]:
        network_names = [
            tag.network.name
            for tag in story.network_tags.select_related("network")
            if tag.removed_at is None
        ]
        usernames = [
            tag.person.username
            for tag in story.person_tags.select_related("person")
            if tag.status != tag.Status.REFUSED
        ]
        return {
            "title": story.title,
            "lead": story.lead,
            "body": story.body,
            "networks": "\n".join(network_names),
            "people": "\n".join(usernames),
            "cover_alt": story.cover_alt,
            "publish": story.is_published,
        }

    def clean_networks(self) -> list[Network]:
        names = _lines(self.cleaned_data.get("networks", ""), limit=MAX_NETWORK_TAGS)
        if len(names) > MAX_NETWORK_TAGS:
            raise forms.ValidationError(
                _("Name %(max)s networks at most.") % {"max": MAX_NETWORK_TAGS}
            )
        keys = {normalise(name): name for name in names}
        found = {
            network.name_normalised: network
            for network in Network.objects.filter(Q(name_normalised__in=keys) | Q(slug__in=names))
        }
        by_slug = {network.slug: network for network in found.values()}
        networks: list[Network] = []
        unknown: list[str] = []
        for key, name in keys.items():
            network = found.get(key) or by_slug.get(name)
            if network is None:
                unknown.append(name)
            else:
                networks.append(network)
        if unknown:
            raise forms.ValidationError(
                _("No network is called: %(names)s.") % {"names": ", ".join(unknown)}
            )
        return networks

    def clean_people(self) -> list[User]:
        usernames = [
            name.lstrip("@")
            for name in _lines(self.cleaned_data.get("people", ""), limit=MAX_PERSON_TAGS)
        ]
        if len(usernames) > MAX_PERSON_TAGS:
            raise forms.ValidationError(
                _("Name %(max)s people at most.") % {"max": MAX_PERSON_TAGS}
            )
        found = {
            user.username.lower(): user
            for user in User.objects.filter(
                username__in=usernames, is_active=True, deleted_at__isnull=True
            )
        }
        unknown = [name for name in usernames if name.lower() not in found]
        if unknown:
            raise forms.ValidationError(
                _("No member has the username: %(names)s.") % {"names": ", ".join(unknown)}
            )
        return [found[name.lower()] for name in usernames]


class ImageForm(forms.Form):
    image = forms.FileField(
        label=_("Image"),
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("JPEG, PNG or WebP, 8 MB at most."),
    )
    alt_text = forms.CharField(
        label=_("Description of the image"),
        max_length=ALT_MAX,
        help_text=_("What the image shows, for people who cannot see it."),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EndorsementForm(forms.Form):
    text = forms.CharField(
        label=_("Your recommendation"),
        max_length=ENDORSEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few lines: what this network did, for you or for others."),
    )
    story = forms.ModelChoiceField(
        label=_("Story that tells why"),
        queryset=Story.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args: Any, member: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        story = self.fields["story"]
        assert isinstance(story, forms.ModelChoiceField)  # noqa: S101 - declared above
        story.queryset = queries.linkable_stories(member)
