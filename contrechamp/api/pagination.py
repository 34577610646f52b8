"""Lists page by `limit` and `offset`, with a total that stops counting at 1,000 like the
site's long lists (`core.pagination.CappedPaginator`): an exact count of a 200,000-item
library is a full scan on every call, and past 1,000 rows a narrower search serves
better than another page. So `offset` goes up to 1,000 and `limit` up to 100.
"""

from typing import Any

from django.db.models import Model, QuerySet
from ninja import Field, Schema

from contrechamp.core.pagination import LIST_CAP, CappedPaginator

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class PageParams(Schema):
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Rows per page, {MAX_LIMIT} at most."
    )
    offset: int = Field(
        0, ge=0, le=LIST_CAP, description=f"Rows to skip first, {LIST_CAP} at most."
    )


class Page[T](Schema):
    total: int = Field(description=f"Rows matching, counted up to {LIST_CAP}.")
    total_is_capped: bool = Field(description=f"True when more than {LIST_CAP} rows match.")
    limit: int
    offset: int
    items: list[T]


def paginate[M: Model](queryset: QuerySet[M], params: PageParams) -> dict[str, Any]:
    """The page of `queryset` (which must be ordered) that `params` asks for, with the
    capped total. Two queries, plus the queryset's prefetches; one when the page is the
    first and not full (the rows are then all there is)."""
    rows = list(queryset[params.offset : params.offset + params.limit])
    if params.offset == 0 and len(rows) < params.limit:
        total, capped = len(rows), False
    else:
        paginator = CappedPaginator(queryset, params.limit)
        total, capped = paginator.count, paginator.is_capped
    return {
        "total": total,
        "total_is_capped": capped,
        "limit": params.limit,
        "offset": params.offset,
        "items": rows,
    }
