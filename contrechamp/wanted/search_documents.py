"""What the site's one search finds among wanted requests: the open ones, by the film's
titles and the author's note, shown to whom the request is shown (see
`contrechamp.search.registry`)."""

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext_lazy as _

from contrechamp.search import registry
from contrechamp.wanted.models import Format, WantedRequest


def wanted_entries(ids: Sequence[int]) -> Iterable[registry.Entry]:
    requests = WantedRequest.objects.filter(
        pk__in=ids, status=WantedRequest.Status.OPEN
    ).select_related("film", "requester")
    for request in requests:
        film = request.film
        formats = ", ".join(request.format_labels)
        yield registry.Entry(
            object_id=request.pk,
            title=f"{film.title} ({film.year})",
            url=request.get_absolute_url(),
            words=[film.title, film.original_title, request.note],
            text=" · ".join(part for part in (request.requester.public_name, formats) if part),
            category=request.format_list[0] if request.format_list else "",
            is_public=request.network_id is None,
            network_id=request.network_id,
            owner_id=request.requester_id,
        )


def register_search() -> None:
    registry.register(
        registry.Provider(
            kind="wanted",
            label=_("Wanted requests"),
            position=55,
            entries=wanted_entries,
            all_ids=lambda: WantedRequest.objects.filter(
                status=WantedRequest.Status.OPEN
            ).values_list("pk", flat=True),
            categories=dict(Format.choices),
        )
    )
