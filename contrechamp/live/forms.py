from django import forms
from django.utils.translation import gettext_lazy

from contrechamp.live import conf
from contrechamp.live.models import REACTIONS

MUTE_DURATIONS = [
    (10, gettext_lazy("10 minutes")),
    (60, gettext_lazy("1 hour")),
    (24 * 60, gettext_lazy("1 day")),
    (7 * 24 * 60, gettext_lazy("1 week")),
]


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your message"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("**bold**, *italic*, `code`; links starting with https:// work."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["body"].widget.attrs["maxlength"] = str(conf.message_max_length())


class ReactionForm(forms.Form):
    emoji = forms.ChoiceField(choices=[(emoji, emoji) for emoji in REACTIONS])


class SanctionForm(forms.Form):
    ACTIONS = [
        ("mute", gettext_lazy("Mute")),
        ("ban", gettext_lazy("Ban from the room")),
        ("lift", gettext_lazy("Lift sanctions")),
    ]
    member = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    action = forms.ChoiceField(label=gettext_lazy("Action"), choices=ACTIONS)
    minutes = forms.TypedChoiceField(
        label=gettext_lazy("For"), choices=MUTE_DURATIONS, coerce=int, initial=60, required=False
    )


class WatchPartyForm(forms.Form):
    video_url = forms.URLField(
        label=gettext_lazy("Address of the video file"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy(
            "A film you may show: a direct .mp4, .webm or .ogv file from an allowed source "
            "(Wikimedia Commons, Internet Archive). Leave empty to end the watch party."
        ),
    )


class HandOverForm(forms.Form):
    member = forms.TypedChoiceField(label=gettext_lazy("New host"), coerce=int, choices=[])

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["member"].choices = choices  # type: ignore[attr-defined]
