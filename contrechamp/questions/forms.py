import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contrechamp.networks.models import Network
from contrechamp.questions.models import Category
from contrechamp.questions.services import (
    COMMENT_MAX,
    TAGS_MAX,
    TITLE_MAX,
    QuestionDetails,
)

MARKDOWN_HELP = _("Markdown: **bold**, *italics*, lists, links, `code`. No images or HTML.")


class QuestionForm(forms.Form):
    """Ask or edit a question; `networks` are those the asker may scope it to (asking only)."""

    title = forms.CharField(
        label=_("Your question"),
        max_length=TITLE_MAX,
        help_text=_("One sentence, as you would ask it aloud."),
    )
    body = forms.CharField(
        label=_("Details"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=MARKDOWN_HELP,
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), empty_label=None
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=200,
        help_text=_("Up to %(count)d, separated by commas: 16mm, vinegar syndrome…")
        % {"count": TAGS_MAX},
    )
    network = forms.ModelChoiceField(
        label=_("Who can see it"),
        queryset=Network.objects.none(),
        required=False,
        empty_label=_("Everyone (public)"),
        help_text=_("Choose one of your networks to keep it among its members."),
    )

    def __init__(self, *args: Any, networks: list[Network] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if networks is None:
            del self.fields["network"]
        else:
            field = self.fields["network"]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
            field.queryset = Network.objects.filter(
                pk__in=[network.pk for network in networks]
            ).order_by("name")

    def details(self) -> QuestionDetails:
        data = self.cleaned_data
        return QuestionDetails(
            title=data["title"],
            body=data["body"],
            category=data["category"],
            tags=data["tags"].split(","),
        )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(choices=[("1", "+1"), ("-1", "-1"), ("0", "0")], coerce=int)


_QUESTION_ADDRESS = re.compile(r"(?:/questions/)?(\d{1,18})/?(?:[#?].*)?$")


class CloseForm(forms.Form):
    original = forms.CharField(
        label=_("Original question"),
        max_length=300,
        help_text=_("Its address or its number, as in /questions/42/."),
    )

    def clean_original(self) -> int:
        value = self.cleaned_data["original"].strip()
        found = _QUESTION_ADDRESS.search(value)
        if found is None:
            raise forms.ValidationError(_("Give the address or the number of a question."))
        return int(found.group(1))
