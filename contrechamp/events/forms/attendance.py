"""Forms for answering an event, checking people in at the door and planning shifts."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrechamp.accounts.models import User
from contrechamp.events.models import Event, Rsvp, Shift
from contrechamp.events.services.attendance import LABEL_MAX, MAX_SLOTS


class RsvpForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Rsvp.Status.GOING, _("Going")),
            (Rsvp.Status.MAYBE, _("Maybe")),
            (Rsvp.Status.CANCELLED, _("Not going")),
        ],
        error_messages={"invalid_choice": _("Answer going, maybe or not going.")},
    )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class EventTimeField(forms.DateTimeField):
    """A wall-clock time read and shown in the event's time zone, not the reader's: the
    organiser of a screening in Montréal types Montréal times wherever they are."""

    widget = DateTimeInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.zone = ZoneInfo(settings.TIME_ZONE)

    def to_python(self, value: Any) -> datetime | None:
        with timezone.override(self.zone):
            return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        with timezone.override(self.zone):
            return super().prepare_value(value)


class ShiftForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Shift.Role.choices)
    label = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=LABEL_MAX,
        help_text=_("Optional: what the volunteers will do, where to meet."),
    )
    starts_at = EventTimeField(label=_("Starts at"))
    ends_at = EventTimeField(label=_("Ends at"))
    slots = forms.IntegerField(label=_("Volunteers needed"), min_value=1, max_value=MAX_SLOTS)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        try:
            zone = ZoneInfo(event.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo(settings.TIME_ZONE)
        for name in ("starts_at", "ends_at"):
            field = self.fields[name]
            assert isinstance(field, EventTimeField)  # noqa: S101 - declared above
            field.zone = zone
            field.help_text = _("Time in %(zone)s.") % {"zone": zone.key}

    @staticmethod
    def initial_for(shift: Shift) -> dict[str, Any]:
        return {
            "role": shift.role,
            "label": shift.label,
            "starts_at": shift.starts_at,
            "ends_at": shift.ends_at,
            "slots": shift.slots,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if (
            isinstance(starts_at, datetime)
            and isinstance(ends_at, datetime)
            and ends_at <= starts_at
        ):
            self.add_error("ends_at", _("The shift must end after it starts."))
        return cleaned


class WalkInForm(forms.Form):
    username = forms.CharField(
        label=_("Member's username"),
        max_length=150,
        help_text=_("Someone who came without answering: they take a free seat."),
    )

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        member = User.objects.filter(
            username=username, deleted_at__isnull=True, is_active=True
        ).first()
        if member is None:
            raise forms.ValidationError(_("No member has this username."))
        return member
