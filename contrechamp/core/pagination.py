from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

LIST_CAP = 1000


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = 20) -> Page:  # type: ignore[type-arg]
    """The page named by ``?page=``; a missing, bad or out-of-range number gives the nearest one."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator that counts at most `LIST_CAP` rows. An exact count of a 200,000-item
    library or a 50,000-event agenda is a full scan on every page view, and nobody pages
    past the 50th page: past the cap the page says "1,000+" and invites a narrower search."""

    @cached_property
    def _capped_count(self) -> int:
        rows = self.object_list
        assert isinstance(rows, QuerySet)  # noqa: S101 - built by paginate_capped
        # Only the keys: annotations that no filter needs (counts of RSVPs…) are not computed.
        return rows.order_by().values("pk")[: LIST_CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._capped_count, LIST_CAP)

    @property
    def is_capped(self) -> bool:
        return self._capped_count > LIST_CAP


def paginate_capped(request: HttpRequest, queryset: QuerySet, per_page: int = 20) -> Page:  # type: ignore[type-arg]
    """`paginate` for lists that can be very long: the count stops at `LIST_CAP`."""
    return CappedPaginator(queryset, per_page).get_page(request.GET.get("page"))
