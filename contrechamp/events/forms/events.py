"""The event form (create and edit), and the small forms to publish, cancel or delete."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.fields import BaseTemporalField
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from contrechamp.core.errors import DomainError
from contrechamp.events import recurrence
from contrechamp.events.models import Event
from contrechamp.events.services.events import (
    ACCESSIBILITY_MAX,
    DESCRIPTION_MAX,
    MAX_CAPACITY,
    MAX_FILMS,
    OCCURRENCE,
    ONLINE_URL_MAX,
    REASON_MAX,
    SERIES,
    TITLE_MAX,
    EventDetails,
    time_zones,
)
from contrechamp.films import search as film_search
from contrechamp.films.models import Film
from contrechamp.networks.models import Network
from contrechamp.venues.models import Venue

DEFAULT_ZONE = "Europe/Paris"
FIRST_YEAR, LAST_YEAR = 2000, 2200
# "Title (1902)", "Title 1902" or "Title, 1902": the year is read apart from the title.


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"


class WallClockField(forms.DateTimeField):
    """A date and time as the wall clock of the event's zone shows it, kept naive: the form
    places it in the zone chosen in the same form (the organiser of a screening in
    Montréal types Montréal times wherever they are)."""

    widget = DateTimeInput

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        result: datetime | None
        if isinstance(value, datetime):
            result = value
        elif isinstance(value, date):
            result = datetime(value.year, value.month, value.day)  # noqa: DTZ001 - a wall time
        else:
            text = str(value).strip()
            try:
                parsed = parse_datetime(text)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            result = parsed or BaseTemporalField.to_python(self, text)
        if not isinstance(result, datetime) or not FIRST_YEAR <= result.year <= LAST_YEAR:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return result

    def prepare_value(self, value: Any) -> Any:
        return value  # shown as given: already the event's wall time


def in_zone(value: datetime, zone: ZoneInfo) -> datetime:
    """A wall time of the form placed in the event's zone (an explicit offset wins)."""
    if timezone.is_aware(value):
        return value.astimezone(zone)
    return recurrence.place_in_zone(value, zone)


def wall_time(moment: datetime, zone: str) -> datetime:
    """What the event's wall clock shows at `moment` (the form's initial value)."""
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def resolve_films(text: str) -> tuple[list[Film], list[str]]:
    """The catalogue films named one per line (title, and the year if needed), in order,
    and the lines that name no film of the catalogue."""
    films: list[Film] = []
    unknown: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        film = film_search.film_named(line)
        if film is None:
            unknown.append(line)
        else:
            films.append(film)
    return films, unknown


def films_text(films: list[Film]) -> str:
    return "\n".join(f"{film.title} ({film.year})" for film in films)


class FestivalChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Event)  # noqa: S101 - the queryset holds events
        day = formats.date_format(
            timezone.localtime(obj.starts_at, ZoneInfo(obj.time_zone)), "SHORT_DATE_FORMAT"
        )
        return f"{obj.title} — {obj.network.name} ({day})"


def scope_field(**options: Any) -> forms.ChoiceField:
    """This date only, or the following dates of its series too (`options`: label…)."""
    return forms.ChoiceField(
        choices=[
            (OCCURRENCE, _("This date only")),
            (SERIES, _("This date and the following dates of the series")),
        ],
        initial=OCCURRENCE,
        widget=forms.RadioSelect,
        **options,
    )


class EventForm(forms.Form):
    """The details of an event. For a new event (`event` None) it also asks which of the
    member's networks organises it, whether it repeats and which festival it belongs to;
    for an occurrence of a series, whether the change is for this date or the series."""

    network = forms.ChoiceField(label=_("Organised by"))
    kind = forms.ChoiceField(label=_("Type"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    starts_at = WallClockField(label=_("Starts"))
    ends_at = WallClockField(
        label=_("Ends"), help_text=_("A film marathon may end the next morning.")
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        initial=DEFAULT_ZONE,
        help_text=_("The times above are read on this zone's clocks."),
    )
    repeat = forms.ChoiceField(
        label=_("Repeats"), choices=recurrence.Pattern.choices, initial=recurrence.Pattern.NONE
    )
    every_weeks = forms.IntegerField(
        label=_("Every how many weeks"),
        required=False,
        min_value=2,
        max_value=recurrence.MAX_INTERVAL,
        help_text=_("For “every few weeks”."),
    )
    occurrences = forms.IntegerField(
        label=_("Number of dates"),
        required=False,
        min_value=2,
        max_value=recurrence.MAX_OCCURRENCES,
        help_text=_("For a repeating event: how many dates, or the last date below."),
    )
    until = forms.DateField(label=_("Last date"), required=False, widget=DateInput)
    scope = scope_field(label=_("Apply the changes to"))
    venue = forms.ModelChoiceField(
        label=_("Venue"),
        queryset=Venue.objects.order_by("name_normalised", "pk"),
        required=False,
        empty_label=_("No venue (online)"),
    )
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=ONLINE_URL_MAX,
        assume_scheme="https",
        help_text=_("For an online watch party or a hybrid event: shown to those who may see it."),
    )
    films = forms.CharField(
        label=_("Films shown"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One film of the catalogue per line, in the order they are shown: its title, and "
            "its year in brackets if needed, e.g. Le Voyage dans la Lune (1902)."
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italics*, [links](https://…), lists."),
    )
    accessibility_notes = forms.CharField(
        label=_("Accessibility"),
        required=False,
        max_length=ACCESSIBILITY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Step-free access, hearing loop, subtitles for the deaf and hard of hearing…"),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Event.Visibility.choices,
        initial=Event.Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    capacity = forms.IntegerField(
        label=_("Seats"),
        required=False,
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=_("Leave empty for no limit. Past the last seat, people join a waitlist."),
    )
    festival = FestivalChoiceField(
        label=_("Part of the festival"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(
        self,
        *args: Any,
        networks: list[Network] | None = None,
        festivals: QuerySet[Event] | None = None,
        event: Event | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.networks = {network.slug: network for network in networks or []}
        zone = self.fields["time_zone"]
        assert isinstance(zone, forms.ChoiceField)  # noqa: S101 - declared above
        zone.choices = [(name, name.replace("_", " ")) for name in sorted(time_zones())]
        if event is None:
            network = self.fields["network"]
            assert isinstance(network, forms.ChoiceField)  # noqa: S101
            network.choices = [(n.slug, n.name) for n in self.networks.values()]
            del self.fields["scope"]
            festival = self.fields["festival"]
            assert isinstance(festival, forms.ModelChoiceField)  # noqa: S101
            if festivals is not None and festivals.exists():
                festival.queryset = festivals
            else:
                del self.fields["festival"]
        else:
            for name in ("network", "repeat", "every_weeks", "occurrences", "until", "festival"):
                del self.fields[name]
            if event.series_id is None:
                del self.fields["scope"]
            self.fields["films"].help_text = _(
                "One film of the catalogue per line, in the order they are shown: its title, "
                "and its year in brackets if needed. Films are chosen for this date only."
            )

    @staticmethod
    def initial_for(event: Event, films: list[Film]) -> dict[str, Any]:
        return {
            "kind": event.kind,
            "title": event.title,
            "starts_at": wall_time(event.starts_at, event.time_zone),
            "ends_at": wall_time(event.ends_at, event.time_zone),
            "time_zone": event.time_zone,
            "venue": event.venue_id,
            "online_url": event.online_url,
            "films": films_text(films),
            "description": event.description,
            "accessibility_notes": event.accessibility_notes,
            "visibility": event.visibility,
            "capacity": event.capacity,
        }

    def clean_title(self) -> str:
        title = " ".join(str(self.cleaned_data["title"]).split())
        if not title:
            raise ValidationError(_("Give the event a title."))
        return title

    def clean_films(self) -> list[Film]:
        text = str(self.cleaned_data.get("films") or "")
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > MAX_FILMS:
            raise ValidationError(
                _("An event shows %(max)d films at most."), params={"max": MAX_FILMS}
            )
        films, unknown = resolve_films(text)
        if unknown:
            raise ValidationError(
                _(
                    "No film of the catalogue matches: %(lines)s. Check the titles, or add the "
                    "films to the catalogue first."
                ),
                params={"lines": "; ".join(unknown)},
            )
        return films

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        zone_name = cleaned.get("time_zone")
        zone = ZoneInfo(zone_name) if zone_name else None
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if zone is not None and isinstance(starts_at, datetime):
            cleaned["starts_at"] = in_zone(starts_at, zone)
        if zone is not None and isinstance(ends_at, datetime):
            cleaned["ends_at"] = in_zone(ends_at, zone)
        if (
            zone is not None
            and isinstance(starts_at, datetime)
            and isinstance(ends_at, datetime)
            and cleaned["ends_at"] <= cleaned["starts_at"]
        ):
            self.add_error("ends_at", _("The end must come after the start."))
        if "repeat" in self.fields:
            self._clean_recurrence(cleaned, zone)
        return cleaned

    def _clean_recurrence(self, cleaned: dict[str, Any], zone: ZoneInfo | None) -> None:
        pattern = cleaned.get("repeat") or recurrence.Pattern.NONE
        cleaned["recurrence"] = None
        if pattern == recurrence.Pattern.NONE:
            return
        count, until = cleaned.get("occurrences"), cleaned.get("until")
        if (count is None) == (until is None):
            self.add_error(
                "occurrences", _("Give either the number of dates or the last date, not both.")
            )
            return
        every = cleaned.get("every_weeks")
        if pattern == recurrence.Pattern.EVERY_N_WEEKS and every is None:
            self.add_error("every_weeks", _("Say every how many weeks."))
            return
        start = cleaned.get("starts_at")
        if zone is None or not isinstance(start, datetime):
            return
        try:
            cleaned["recurrence"] = recurrence.build_rule(
                pattern=pattern,
                first_start=wall_time(start, zone.key),
                tz=zone,
                interval=every or 1,
                count=count,
                until=until,
            )
        except DomainError as error:
            self.add_error("repeat", str(error.message))

    def chosen_network(self) -> Network | None:
        return self.networks.get(self.cleaned_data.get("network") or "")

    def details(self) -> EventDetails:
        data = self.cleaned_data
        return EventDetails(
            kind=data["kind"],
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            description=data["description"],
            venue=data["venue"],
            online_url=data["online_url"],
            time_zone=data["time_zone"],
            accessibility_notes=data["accessibility_notes"],
            visibility=data["visibility"],
            capacity=data["capacity"],
        )


class PublishForm(forms.Form):
    """Sent by the publish button; `scope` only for an occurrence of a series."""

    scope = scope_field(label=_("Publish"), required=False)
    acknowledge_missing_rights = forms.BooleanField(required=False, widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone who planned to come reads it in their notification."),
    )
    scope = scope_field(label=_("Cancel"))

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if event.series_id is None:
            del self.fields["scope"]


class DeleteForm(forms.Form):
    scope = scope_field(label=_("Delete"), required=False)
