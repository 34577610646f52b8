"""The one search: a results page grouped by kind, and suggestions while typing.

Both only read, for whoever asks (signed in or not): what a person may see is decided in
`queries.visible_to`. Nothing a person types reaches an error: a query is cut to its
first words, and punctuation, quotes and operators are not searched for.
"""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from contrechamp.search import queries, registry


def _is_partial(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """`?q=` over every kind: each kind's count and best results, or with `?kind=` that
    kind's results a page at a time (`?page=`)."""
    params = queries.SearchParams.from_query(request.GET)
    context = {
        "params": params,
        "results": queries.search(request.user, params),
        "providers": registry.providers(),
        "cap": queries.CAP,
    }
    return render(request, "search/search.html", context)


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """A short list of matches for the header's search box (htmx). Opened without htmx,
    it is the results page."""
    q = request.GET.get("q", "")[: queries.QUERY_MAX]
    if not _is_partial(request):
        return redirect(f"{reverse('search:search')}?{urlencode({'q': q})}")
    context = {"suggestions": queries.suggestions(request.user, q), "q": q.strip()}
    return render(request, "search/search.html#suggestions", context)
