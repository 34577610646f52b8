import re

import pytest
from django.test import Client

from contrechamp.api.tests.conftest import ApiClient


def test_the_openapi_description_lists_every_operation(api: ApiClient, db: None) -> None:
    response = api.get("/api/openapi.json")

    schema = response.json()
    operations = {
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
    }
    assert response.status_code == 200
    assert {
        "GET /api/networks",
        "GET /api/networks/{slug}",
        "POST /api/networks/{slug}/join",
        "GET /api/films",
        "GET /api/films/{film_id}",
        "PUT /api/films/{film_id}/rating",
        "PUT /api/films/{film_id}/watchlist",
        "DELETE /api/films/{film_id}/watchlist",
        "POST /api/films/{film_id}/recommendations",
        "GET /api/events",
        "GET /api/events/{event_id}",
        "POST /api/events/{event_id}/rsvp",
        "GET /api/me/events",
        "GET /api/venues",
        "GET /api/venues/{venue_id}",
        "GET /api/library",
        "GET /api/library/{item_id}",
        "POST /api/library/{item_id}/loans",
        "GET /api/me/loans",
    } <= operations


def test_every_operation_documents_its_errors_and_how_to_authenticate(
    api: ApiClient, db: None
) -> None:
    schema = api.get("/api/openapi.json").json()

    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            label = f"{method} {path}"
            assert "429" in operation["responses"], label
            assert operation["security"], label
            assert re.fullmatch(r"[a-z_]+", operation["operationId"]), label
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    schema_ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert schema_ref.endswith("/ErrorOut"), label


def test_writing_operations_take_tokens_only(api: ApiClient, db: None) -> None:
    schema = api.get("/api/openapi.json").json()

    for methods in schema["paths"].values():
        for method, operation in methods.items():
            if method != "get":
                assert operation["security"] == [{"BearerToken": []}]


def test_the_docs_page_loads_nothing_from_elsewhere_and_runs_no_inline_script(
    client: Client, db: None
) -> None:
    response = client.get("/api/docs")

    page = response.content.decode()
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "https://" not in page
    assert "style=" not in page
    for script in re.findall(r"<script[^>]*>", page):
        assert 'type="application/json"' in script or "src=" in script
    assert '"validatorUrl": null' in page
    assert "/api/openapi.json" in page


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("swagger-ui.css", "text/css"),
        ("swagger-ui-bundle.js", "text/javascript"),
        ("swagger-ui-init.js", "text/javascript"),
        ("favicon.svg", "image/svg+xml"),
    ],
)
def test_the_docs_assets_are_served_from_the_site(
    client: Client, db: None, name: str, content_type: str
) -> None:
    response = client.get(f"/api/docs/assets/{name}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "max-age" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["redoc.standalone.js", "..%2Fmain.py", "swagger-ui.css.map"])
def test_only_the_docs_own_assets_are_served(client: Client, db: None, name: str) -> None:
    assert client.get(f"/api/docs/assets/{name}").status_code == 404
