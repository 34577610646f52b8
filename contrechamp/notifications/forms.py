from typing import Any

from django import forms
from django.apps import apps
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from contrechamp.notifications import kinds
from contrechamp.notifications.kinds import Delivery
from contrechamp.notifications.services import INTRODUCTION_MAX, SUBJECT_MAX


def _app_name(slug: str) -> str:
    """The name of the app a kind belongs to ("lending.loan_requested" → "Lending")."""
    label = slug.split(".", 1)[0]
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


class PreferencesForm(forms.Form):
    """One choice per registered kind, named by the kind's slug.

    A kind missing from the submitted data (one registered after the page was shown)
    keeps its current setting."""

    def __init__(self, *args: Any, current: dict[str, Delivery], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in kinds.all_kinds():
            self.fields[kind.slug] = forms.ChoiceField(
                label=str(kind.label),
                choices=Delivery.choices,
                initial=current.get(kind.slug, kind.default_delivery),
                required=False,
            )

    def groups(self) -> list[tuple[str, list[BoundField]]]:
        """The kinds grouped by the app they come from, in the order of the slugs."""
        grouped: dict[str, list[BoundField]] = {}
        for name in self.fields:
            grouped.setdefault(_app_name(name), []).append(self[name])
        return list(grouped.items())

    def choices(self) -> dict[str, str]:
        return {slug: str(value) for slug, value in self.cleaned_data.items() if value}


class NewsletterForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    introduction = forms.CharField(
        label=_("Introduction"),
        max_length=INTRODUCTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "A word from the team, in Markdown. The upcoming events and new "
            "recommendations of the network follow it."
        ),
    )
