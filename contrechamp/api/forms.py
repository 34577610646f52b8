from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrechamp.api.models import ApiToken
from contrechamp.api.services import NAME_MAX

NEVER = "never"
LIFETIMES = (
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In a year")),
    (NEVER, _("Never (until I revoke it)")),
)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX,
        help_text=_("What uses it, so that you recognise it later: “Phone app”, “Club script”."),
    )
    scope = forms.ChoiceField(
        label=_("What it may do"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("Reading is enough to list events or films. Writing also lets it act for you."),
    )
    expires_in = forms.ChoiceField(
        label=_("Expires"), choices=LIFETIMES, initial="90", widget=forms.RadioSelect
    )

    def expires_at(self) -> datetime | None:
        """When the token stops working, from the chosen lifetime (None: never)."""
        chosen = self.cleaned_data["expires_in"]
        if chosen == NEVER:
            return None
        return timezone.now() + timedelta(days=int(chosen))
