import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contrechamp.guides import services
from contrechamp.guides.models import Guide, GuideVersion
from contrechamp.guides.tests.conftest import edit, join, make_guide

pytestmark = pytest.mark.django_db


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_list_costs_the_same_whatever_the_number_of_guides(client, member, club, pdf):
    client.force_login(member)
    make_guide(member, network=club)
    first = queries_of(client, reverse("guides:list"))
    for number in range(15):
        guide = make_guide(member, title=f"Fiche {number}", tags=[f"tag {number}", "16 mm"])
        services.set_sharing(actor=member, guide=guide, is_public=True, networks=[club])
    assert queries_of(client, reverse("guides:list")) == first


def test_a_guides_page_costs_the_same_whatever_its_files_editors_and_history(
    client, member, other_member, outsider, guide, pdf, png
):
    client.force_login(member)
    url = guide.get_absolute_url()
    history = reverse("guides:history", args=[guide.pk])
    first = queries_of(client, url)
    first_history = queries_of(client, history)
    services.attach_file(actor=member, guide=guide, upload=pdf)
    services.attach_file(actor=member, guide=guide, upload=png)
    services.add_editor(actor=member, guide=guide, member=other_member)
    services.add_editor(actor=member, guide=guide, member=outsider)
    current = guide
    for number in range(5):
        current = edit(current, member, f"Texte {number}")
    assert queries_of(client, url) == first
    assert queries_of(client, history) == first_history


def test_a_guide_not_shared_with_the_visitor_is_not_found(client, other_member, guide):
    assert client.get(guide.get_absolute_url()).status_code == 404
    client.force_login(other_member)
    for name in ("detail", "history", "diff"):
        assert client.get(reverse(f"guides:{name}", args=[guide.pk])).status_code == 404
    assert client.get(reverse("guides:edit", args=[guide.pk])).status_code == 404


def test_the_page_renders_the_markdown_safely(client, member):
    guide = make_guide(member, body="## Étapes\n\n**Important** <script>alert(1)</script>")
    client.force_login(member)
    html = client.get(guide.get_absolute_url()).content.decode()
    assert "<h4>Étapes</h4>" in html
    assert "<strong>Important</strong>" in html
    assert "<script>alert" not in html


def test_writing_a_guide_through_the_form(client, member, club):
    client.force_login(member)
    response = client.post(
        reverse("guides:create"),
        {
            "network": club.pk,
            "kind": "sheet",
            "title": "Câblage du projecteur du club",
            "summary": "",
            "body": "HDMI vers la console, puis XLR.",
            "tags": "câblage, projecteur",
            "note": "",
        },
    )
    guide = Guide.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("guides:sharing", args=[guide.pk])
    assert guide.owner_network == club


def test_an_empty_form_keeps_what_was_typed_and_says_what_is_missing(client, member):
    client.force_login(member)
    response = client.post(
        reverse("guides:create"),
        {"kind": "guide", "title": "Mon titre", "body": "   ", "tags": "a, b"},
    )
    assert response.status_code == 200
    assert 'value="Mon titre"' in response.content.decode()
    assert not Guide.objects.exists()


def test_an_outdated_edit_is_refused_and_the_typed_text_is_kept(
    client, member, other_member, guide
):
    services.add_editor(actor=member, guide=guide, member=other_member)
    edit(guide, other_member, "La version de Nora")
    client.force_login(member)

    data = {
        "kind": guide.kind,
        "title": guide.title,
        "summary": guide.summary,
        "body": "Ce que Juliette a tapé",
        "tags": "16 mm",
        "note": "",
        "based_on": 1,
    }
    response = client.post(reverse("guides:edit", args=[guide.pk]), data)

    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone saved version 2" in html
    assert "Ce que Juliette a tapé" in html
    assert "La version de Nora" in html
    assert Guide.objects.get(pk=guide.pk).body == "La version de Nora"
    # The editor has seen the latest version: saving again goes through.
    assert 'name="based_on" value="2"' in html
    data["based_on"] = 2
    assert client.post(reverse("guides:edit", args=[guide.pk]), data).status_code == 302
    assert Guide.objects.get(pk=guide.pk).version == 3


def test_someone_who_does_not_edit_gets_a_refusal_page(
    client, member, other_member, club, club_guide
):
    join(other_member, club)
    client.force_login(other_member)
    assert client.get(reverse("guides:edit", args=[club_guide.pk])).status_code == 403
    assert client.get(reverse("guides:sharing", args=[club_guide.pk])).status_code == 403


def test_the_diff_marks_removed_and_added_lines(client, member, guide):
    edit(guide, member, "- Nettoyer le couloir\n- Changer la lampe\n- Amorcer la bobine")
    client.force_login(member)
    response = client.get(reverse("guides:diff", args=[guide.pk]), {"from": 1, "to": 2})
    html = response.content.decode()
    assert "<del><code>- Vérifier la lampe</code></del>" in html
    assert "<ins><code>- Changer la lampe</code></ins>" in html
    assert client.get(reverse("guides:diff", args=[guide.pk]), {"from": 9}).status_code == 404
    assert client.get(reverse("guides:diff", args=[guide.pk]), {"from": "x"}).status_code == 200


def test_restoring_through_the_page(client, member, guide):
    edit(guide, member, "Deuxième")
    client.force_login(member)
    response = client.post(reverse("guides:restore", args=[guide.pk, 1]), {"based_on": 2})
    assert response.status_code == 302
    assert Guide.objects.get(pk=guide.pk).version == 3
    assert GuideVersion.objects.get(guide=guide, number=3).restored_from == 1


def test_sharing_and_co_editors_through_the_page(client, member, other_member, club, guide):
    client.force_login(member)
    url = reverse("guides:sharing", args=[guide.pk])
    assert client.post(url, {"is_public": "on", "networks": [club.pk]}).status_code == 302
    guide.refresh_from_db()
    assert guide.is_public
    assert list(guide.shared_with.values_list("pk", flat=True)) == [club.pk]

    response = client.post(reverse("guides:editor_add", args=[guide.pk]), {"username": "nobody"})
    assert response.status_code == 400
    assert "No member has this username." in response.content.decode()
    response = client.post(reverse("guides:editor_add", args=[guide.pk]), {"username": "nora"})
    assert response.status_code == 302
    assert guide.editor_rows.filter(user=other_member).exists()


def test_an_upload_that_lies_is_refused_on_the_page(client, member, guide, liar):
    client.force_login(member)
    response = client.post(reverse("guides:attachment_add", args=[guide.pk]), {"file": liar})
    assert response.status_code == 400
    assert "nothing was kept" in response.content.decode()
    assert not guide.attachments.exists()


def test_helped_button(client, member, other_member, guide):
    services.set_sharing(actor=member, guide=guide, is_public=True, networks=[])
    client.force_login(other_member)
    assert client.post(reverse("guides:helpful", args=[guide.pk])).status_code == 302
    assert Guide.objects.get(pk=guide.pk).helped_count == 1
    client.post(reverse("guides:helpful", args=[guide.pk]), {"withdraw": "1"})
    assert Guide.objects.get(pk=guide.pk).helped_count == 0


def test_deleting_a_guide_needs_the_confirmation(client, member, guide):
    client.force_login(member)
    client.post(reverse("guides:delete", args=[guide.pk]))
    assert Guide.objects.exists()
    client.post(reverse("guides:delete", args=[guide.pk]), {"confirm": "1"})
    assert not Guide.objects.exists()
