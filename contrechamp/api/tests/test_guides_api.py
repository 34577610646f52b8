from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from contrechamp.accounts.models import User
from contrechamp.api.tests.conftest import ApiClient
from contrechamp.guides import services
from contrechamp.guides.models import Guide, GuideVersion
from contrechamp.guides.tests.conftest import PDF_BYTES, join, make_guide, upload
from contrechamp.networks.models import Network

GUIDE = {
    "kind": "checklist",
    "title": "Checklist projection 16 mm",
    "summary": "Avant chaque séance.",
    "body": "- Nettoyer le couloir\n- Vérifier la lampe",
    "tags": ["16 mm", "projection"],
}


def _public(owner: User, **kwargs: Any) -> Guide:
    guide = make_guide(owner, **kwargs)
    return services.set_sharing(actor=owner, guide=guide, is_public=True, networks=[])


def test_visitors_see_public_guides_only(api: ApiClient, member: User, other_member: User) -> None:
    public = _public(other_member)
    make_guide(other_member, title="Privé")

    items = api.get("/api/guides").json()["items"]

    assert [g["id"] for g in items] == [public.pk]
    assert items[0]["owner"] == {
        "kind": "member",
        "name": "Nora",
        "username": "nora",
        "network": None,
    }
    assert items[0]["tags"] == ["16 mm", "projection"]


def test_a_members_token_sees_guides_of_their_networks(
    api: ApiClient, member: User, other_member: User, read_token: str, club: Network
) -> None:
    shared = make_guide(other_member, network=club, title="Câblage")
    join(member, club)

    items = api.get("/api/guides", {"network": club.slug}, token=read_token).json()["items"]
    assert [g["id"] for g in items] == [shared.pk]
    assert api.get(f"/api/guides/{shared.pk}").status_code == 404
    detail = api.get(f"/api/guides/{shared.pk}", token=read_token).json()
    assert detail["body"].startswith("- Nettoyer")


def test_a_guide_with_its_files_and_versions(api: ApiClient, other_member: User) -> None:
    guide = _public(other_member)
    services.attach_file(actor=other_member, guide=guide, upload=upload("a.pdf", PDF_BYTES))
    services.update_guide(
        actor=other_member,
        guide=guide,
        details=services.GuideDetails(title=guide.title, body="Nouveau texte"),
        based_on=1,
        note="réécrit",
    )

    detail = api.get(f"/api/guides/{guide.pk}").json()
    versions = api.get(f"/api/guides/{guide.pk}/versions").json()["items"]
    first = api.get(f"/api/guides/{guide.pk}/versions/1").json()

    assert detail["version"] == 2
    assert [a["name"] for a in detail["attachments"]] == ["a.pdf"]
    assert [(v["number"], v["note"]) for v in versions] == [(2, "réécrit"), (1, "")]
    assert first["body"].startswith("- Nettoyer")
    assert api.get(f"/api/guides/{guide.pk}/versions/9").status_code == 404


def test_writing_and_editing_a_guide(api: ApiClient, member: User, write_token: str) -> None:
    created = api.post("/api/guides", GUIDE, token=write_token)
    assert created.status_code == 201, created.json()
    guide_id = created.json()["id"]

    edited = api.put(
        f"/api/guides/{guide_id}",
        {**GUIDE, "body": "Nouveau", "based_on": 1, "note": "api"},
        token=write_token,
    )
    outdated = api.put(
        f"/api/guides/{guide_id}", {**GUIDE, "body": "Autre", "based_on": 1}, token=write_token
    )

    assert edited.status_code == 200 and edited.json()["version"] == 2
    assert outdated.status_code == 409
    assert GuideVersion.objects.filter(guide_id=guide_id).count() == 2
    assert Guide.objects.get(pk=guide_id).body == "Nouveau"


def test_writing_needs_a_write_token_and_the_right_role(
    api: ApiClient,
    member: User,
    other_member: User,
    read_token: str,
    write_token: str,
    club: Network,
) -> None:
    assert api.post("/api/guides", GUIDE, token=read_token).status_code in (401, 403)
    on_behalf = api.post("/api/guides", {**GUIDE, "network": club.slug}, token=write_token)
    assert on_behalf.status_code == 403
    theirs = _public(other_member)
    refused = api.put(f"/api/guides/{theirs.pk}", {**GUIDE, "based_on": 1}, token=write_token)
    assert refused.status_code == 403
    assert not Guide.objects.filter(owner_user=member).exists()


def test_bad_input_is_refused_with_422(api: ApiClient, member: User, write_token: str) -> None:
    for body in (
        {**GUIDE, "body": ""},
        {**GUIDE, "body": "x" * 200_000},
        {**GUIDE, "kind": "pamphlet"},
        {**GUIDE, "tags": ["t"] * 11},
        {**GUIDE, "shared_with": ["no-such-network"]},
    ):
        assert api.post("/api/guides", body, token=write_token).status_code == 422
    assert not Guide.objects.exists()


def test_the_list_costs_the_same_queries_for_more_guides(
    api: ApiClient, other_member: User
) -> None:
    _public(other_member)
    with CaptureQueriesContext(connection) as few:
        api.get("/api/guides", {"limit": 5})
    for number in range(12):
        _public(other_member, title=f"Fiche {number}", tags=[f"t{number}"])
    with CaptureQueriesContext(connection) as many:
        api.get("/api/guides", {"limit": 5})
    assert len(many) <= len(few) + 1
