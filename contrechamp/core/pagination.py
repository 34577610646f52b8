from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = 20) -> Page:  # type: ignore[type-arg]
    """The page named by ``?page=``; a missing, bad or out-of-range number gives the nearest one."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
