"""Forms of the feedback pages: they read what was typed; the services decide."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from contrechamp.accounts.models import User
from contrechamp.core import uploads
from contrechamp.core.errors import DomainError
from contrechamp.feedback import services, timecode
from contrechamp.feedback.models import (
    MAX_COMMENT_LENGTH,
    MAX_SCREENPLAY_CHARACTERS,
    Cut,
    ScreenplayVersion,
)
from contrechamp.networks.models import Membership, Network


class VersionForm(forms.Form):
    source = forms.CharField(
        label=gettext_lazy("Paste the screenplay (Fountain)"),
        required=False,
        max_length=MAX_SCREENPLAY_CHARACTERS,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 18, "class": "fountain-source", "spellcheck": "false"}
        ),
        help_text=gettext_lazy(
            "Fountain is plain text: scene headings start with INT. or EXT., character names "
            "are in capitals above their lines, transitions end with TO:."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("Or choose a .fountain or .txt file (1 MB at most)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".fountain,.spmd,.txt,text/plain"}),
    )
    change_note = forms.CharField(
        label=gettext_lazy("What changed in this version"), required=False, max_length=500
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if upload is not None:
            try:
                cleaned["source"] = services.read_screenplay_file(upload)
            except DomainError as error:
                self.add_error("file", str(error.message))
        elif not (cleaned.get("source") or "").strip() and not self.errors:
            self.add_error("source", gettext_lazy("Paste the screenplay or choose a file."))
        return cleaned


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ScreenplayCommentForm(CommentForm):
    line = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    scene = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ResolveForm(forms.Form):
    resolved = forms.BooleanField(required=False)


class CutForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    video_url = forms.CharField(
        label=gettext_lazy("Link to the video"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy(
            "A link to a video file (.mp4, .webm) plays here; any other link (a video site, "
            "a shared folder) is shown as a link."
        ),
        widget=forms.URLInput(attrs={"inputmode": "url", "placeholder": "https://"}),
    )
    video_file = forms.FileField(
        label=gettext_lazy("Or upload the video (MP4, MOV or WebM, 500 MB at most)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.accept_attribute(uploads.VIDEOS)}),
    )
    frame_rate = forms.ChoiceField(
        label=gettext_lazy("Frame rate"),
        choices=timecode.FrameRate.choices,
        initial=timecode.FrameRate.FPS_25,
    )
    duration = forms.CharField(
        label=gettext_lazy("Duration (HH:MM:SS:FF)"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "00:12:30:00", "inputmode": "numeric"}),
    )

    def details(self) -> services.CutDetails:
        data = self.cleaned_data
        return services.CutDetails(
            title=data["title"],
            frame_rate=data["frame_rate"],
            duration=data["duration"],
            video_url=data["video_url"],
        )


class CutCommentForm(CommentForm):
    at = forms.CharField(
        label=gettext_lazy("Timecode (HH:MM:SS:FF)"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "00:01:23:12", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, cut: Cut, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cut = cut

    def clean_at(self) -> str:
        value: str = self.cleaned_data["at"]
        try:
            timecode.parse(value, self.cut.frame_rate, duration_frames=self.cut.duration_frames)
        except DomainError as error:
            raise forms.ValidationError(str(error.message)) from None
        return value


_SEPARATORS = re.compile(r"[\s,;]+")


class RequestForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("Feedback on"))
    usernames = forms.CharField(
        label=gettext_lazy("Members to ask, by username"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Separate usernames with spaces or commas."),
    )
    network = forms.ModelChoiceField(
        label=gettext_lazy("Or ask every member of one of your networks"),
        queryset=Network.objects.none(),
        required=False,
    )
    message = forms.CharField(
        label=gettext_lazy("Message to the reviewers"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What you would like them to look at."),
    )

    def __init__(
        self,
        *args: Any,
        member: User,
        versions: list[ScreenplayVersion],
        cuts: list[Cut],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._versions = {f"version-{v.pk}": v for v in versions}
        self._cuts = {f"cut-{c.pk}": c for c in cuts}
        choices = [
            (key, gettext_lazy("Screenplay, version %(number)s") % {"number": v.number})
            for key, v in self._versions.items()
        ]
        choices += [(key, c.title) for key, c in self._cuts.items()]
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)  # noqa: S101  declared above
        target.choices = choices
        network = self.fields["network"]
        assert isinstance(network, forms.ModelChoiceField)  # noqa: S101  declared above
        network.queryset = Network.objects.filter(
            memberships__user=member, memberships__status=Membership.Status.ACTIVE
        ).order_by("name")

    def target_version(self) -> ScreenplayVersion | None:
        return self._versions.get(self.cleaned_data["target"])

    def target_cut(self) -> Cut | None:
        return self._cuts.get(self.cleaned_data["target"])

    def usernames_list(self) -> list[str]:
        return [name for name in _SEPARATORS.split(self.cleaned_data["usernames"]) if name]
