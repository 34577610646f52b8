"""The REST API: one django-ninja application with a router per pillar, its OpenAPI
description at /api/openapi.json and its documentation at /api/docs.

Endpoints are thin: they read the same queries and call the same services as the site's
pages, so a rule holds in the API because it holds on the site. docs/api.md explains
tokens, pagination, errors and rate limits to the people who write clients.
"""

from ninja import NinjaAPI
from ninja.operation import Operation

from contrechamp.api import errors
from contrechamp.api.docs import SwaggerDocs
from contrechamp.api.routers import (
    events,
    feedback,
    films,
    guides,
    lending,
    live,
    me,
    networks,
    projects,
    questions,
    stories,
    venues,
    wanted,
)

DESCRIPTION = """
The API of Contrechamp, for phone apps and scripts: networks, films, events, venues, the
library, questions, guides, wanted films, stories and creative projects, with what a member
does there (join, rate, recommend, RSVP, borrow, ask and answer, apply, give feedback).

- **Authentication**: `Authorization: Bearer <token>`, with a personal access token made
  at /me/tokens/. Reading public things needs no token; a token with the `read` scope
  reads what its member may see; changing anything needs the `write` scope.
- **Pagination**: `limit` (up to 100) and `offset` (up to 1,000); `total` counts up to
  1,000 and `total_is_capped` says when more match.
- **Errors**: always `{"error": {"code", "message", "fields"}}`; messages follow
  `Accept-Language` (French or English).
- **Rate limits**: 300 requests per 5 minutes per token (per address without one); see
  the `X-RateLimit-*` headers, and `Retry-After` on a 429.
"""


class ContrechampApi(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The endpoint's function name ("get_film"): short, stable, and what the
        OpenAPI links between operations name."""
        return operation.view_func.__name__


api = ContrechampApi(
    title="Contrechamp API",
    version="1",
    description=DESCRIPTION.strip(),
    docs=SwaggerDocs(),
    urls_namespace="api",
    parser=errors.ObjectParser(),
)
errors.install(api)

for module in (
    networks,
    films,
    events,
    venues,
    lending,
    questions,
    guides,
    wanted,
    stories,
    projects,
    feedback,
    live,
    me,
):
    api.add_router("", module.router)
