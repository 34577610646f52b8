"""Network newsletters: a free introduction by an organiser, then sections that other apps
fill (upcoming events, new recommendations…). Each app registers its sections in its
``AppConfig.ready()``:

    newsletter.register_section(newsletter.Section(
        slug="events.upcoming",
        title=_("Upcoming screenings"),
        items=upcoming_events,       # (network, since) -> list[NewsletterItem]
        position=10,
    ))

`items` is called with the network and the time of its previous newsletter (or a month
ago): it returns what is new or coming for that network's members, at most a few dozen
items, in a constant number of queries. Its texts are in the active language.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from contrechamp.notifications import kinds
from contrechamp.notifications.links import safe_local_path

if TYPE_CHECKING:
    from contrechamp.networks.models import Network

KIND = "networks.newsletter"
FIRST_PERIOD = timedelta(days=31)
MAX_ITEMS = 30

NEWSLETTER_KIND = kinds.Kind(
    slug=KIND,
    label=_("The newsletter of a network you belong to"),
    default_delivery=kinds.Delivery.DIGEST,
)


@dataclass(frozen=True)
class NewsletterItem:
    title: str
    url: str = ""  # a path on this site
    text: str = ""  # one line: a date, a place, who recommends it


@dataclass(frozen=True)
class Section:
    slug: str
    title: str | Promise
    items: Callable[["Network", datetime], list[NewsletterItem]]
    position: int = 100


class ComposedItem(TypedDict):
    title: str
    url: str
    text: str


class ComposedSection(TypedDict):
    """A section as stored with a sent newsletter (`Newsletter.sections`)."""

    slug: str
    title: str
    items: list[ComposedItem]


_sections: dict[str, Section] = {}


def register_section(section: Section) -> None:
    """Add (or replace, by slug) a section every network newsletter may carry."""
    _sections[section.slug] = section


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: (section.position, section.slug))


def since(last_sent_at: datetime | None) -> datetime:
    return last_sent_at or timezone.now() - FIRST_PERIOD


def compose(network: "Network", since: datetime) -> list[ComposedSection]:
    """The sections with something to say, as stored with a sent newsletter: titles and
    items frozen in the active language, links kept only when they are paths here."""
    composed: list[ComposedSection] = []
    for section in sections():
        items = section.items(network, since)[:MAX_ITEMS]
        if not items:
            continue
        composed.append(
            {
                "slug": section.slug,
                "title": str(section.title),
                "items": [
                    {
                        "title": str(item.title),
                        "url": safe_local_path(item.url) or "",
                        "text": str(item.text),
                    }
                    for item in items
                ],
            }
        )
    return composed


def as_text(introduction: str, composed: list[ComposedSection]) -> str:
    """The newsletter in plain text, for its notification and the email that carries it."""
    lines = [introduction] if introduction else []
    for section in composed:
        lines += ["", section["title"]]
        lines += [
            f"- {item['title']}" + (f" ({item['text']})" if item["text"] else "")
            for item in section["items"]
        ]
    return "\n".join(lines).strip()
