"""Documents of a screening's rights: licences and contracts, checked by their content,
stored under a name nobody can guess, readable by the network's organisers only."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from contrechamp.core.errors import Conflict, DomainError
from contrechamp.events.models import RightsDocument, Screening
from contrechamp.events.services import rights

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def screening(event):
    return event.screenings.get()


def image(kind):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "purple").save(buffer, format=kind)
    return buffer.getvalue()


def zipped(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content, method in entries:
            archive.writestr(name, content, compress_type=method)
    return buffer.getvalue()


def odt(mimetype=b"application/vnd.oasis.opendocument.text"):
    return zipped(
        [
            ("mimetype", mimetype, zipfile.ZIP_STORED),
            ("content.xml", b"<office:document-content/>", zipfile.ZIP_DEFLATED),
        ]
    )


def docx():
    return zipped(
        [
            ("[Content_Types].xml", b"<Types/>", zipfile.ZIP_DEFLATED),
            ("word/document.xml", b"<w:document/>", zipfile.ZIP_DEFLATED),
        ]
    )


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root):
    return [path for path in Path(root).rglob("*") if path.is_file()]


def attach(actor, screening, name="licence.pdf", content=PDF, **kwargs):
    return rights.attach_rights_document(
        actor=actor, screening=screening, upload=upload(name, content, **kwargs)
    )


# --- Attaching


def test_an_organiser_attaches_a_pdf_licence_under_a_name_nobody_can_guess(
    organiser, screening, settings
):
    document = attach(organiser, screening, name="Licence Lobster 2026.pdf")

    document.refresh_from_db()
    assert document.original_name == "Licence Lobster 2026.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    assert document.uploaded_by == organiser
    assert document.file.name.startswith(f"rights/{screening.event_id}/")
    assert "Licence" not in document.file.name
    assert document.file.read() == PDF
    assert len(stored_files(settings.PRIVATE_MEDIA_ROOT)) == 1
    assert stored_files(settings.MEDIA_ROOT) == []  # never served under MEDIA_URL


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("scan.png", image("PNG"), "image/png"),
        ("scan.jpg", image("JPEG"), "image/jpeg"),
        ("SCAN.JPEG", image("JPEG"), "image/jpeg"),
        ("contrat.odt", odt(), "application/vnd.oasis.opendocument.text"),
        (
            "contrat.docx",
            docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_scans_and_office_documents_are_accepted(
    co_organiser, screening, name, content, content_type
):
    document = attach(co_organiser, screening, name=name, content=content)

    assert document.content_type == content_type


def test_the_type_comes_from_the_content_not_from_what_the_browser_says(organiser, screening):
    document = attach(organiser, screening, content_type="image/png")

    assert document.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("licence.pdf", image("PNG"), "named as a PDF"),
        ("licence.pdf", b"This is the licence, promise.", "named as a PDF"),
        ("scan.png", PDF, "named as a PNG"),
        ("scan.jpg", image("PNG"), "named as a JPEG"),
        ("contrat.docx", zipped([("notes.txt", b"hello", zipfile.ZIP_DEFLATED)]), "DOCX"),
        ("contrat.docx", odt(), "named as a DOCX"),
        ("contrat.odt", odt(b"application/vnd.oasis.opendocument.spreadsheet"), "ODT"),
        ("contrat.odt", b"PK\x03\x04 but not really a zip", "named as a ODT"),
        ("licence.exe", b"MZ\x90\x00", "PDF, PNG, JPEG, ODT or DOCX"),
        ("licence", PDF, "PDF, PNG, JPEG, ODT or DOCX"),
        ("licence.pdf.html", b"<script>alert(1)</script>", "PDF, PNG, JPEG, ODT or DOCX"),
    ],
)
def test_a_file_that_lies_about_its_type_is_refused_and_nothing_is_stored(
    organiser, screening, settings, name, content, message
):
    with pytest.raises(DomainError, match=message):
        attach(organiser, screening, name=name, content=content)
    assert not RightsDocument.objects.exists()
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []


def test_a_file_over_10_mb_is_refused_and_nothing_is_stored(organiser, screening, settings):
    heavy = PDF + b"0" * (10 * 1024 * 1024)

    with pytest.raises(DomainError, match="larger than 10 MB"):
        attach(organiser, screening, content=heavy)
    assert not RightsDocument.objects.exists()
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []


def test_an_empty_file_is_refused(organiser, screening):
    with pytest.raises(DomainError, match="empty"):
        attach(organiser, screening, content=b"")
    assert not RightsDocument.objects.exists()


def test_folders_and_control_characters_are_dropped_from_the_name(organiser, screening):
    document = attach(organiser, screening, name="../../etc/contrat\x07 signé.pdf")

    assert document.original_name == "contrat signé.pdf"
    assert ".." not in document.file.name


def test_a_very_long_name_is_shortened_keeping_its_extension(organiser, screening):
    document = attach(organiser, screening, name="l" * 400 + ".PDF")

    assert len(document.original_name) == 200
    assert document.original_name.endswith(".pdf")


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_members_and_outsiders_cannot_attach_documents(request, screening, settings, persona):
    with pytest.raises(PermissionDenied):
        attach(request.getfixturevalue(persona), screening)
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []


def test_a_screening_holds_a_bounded_number_of_documents(organiser, screening, monkeypatch):
    monkeypatch.setattr(rights, "DOCUMENTS_PER_SCREENING", 2)
    attach(organiser, screening)
    attach(organiser, screening)

    with pytest.raises(Conflict, match="remove one"):
        attach(organiser, screening)
    assert screening.documents.count() == 2


# --- Removing


def test_an_organiser_removes_a_document_and_its_file_goes_after_commit(
    organiser, co_organiser, screening, settings, django_capture_on_commit_callbacks
):
    document = attach(organiser, screening)

    with django_capture_on_commit_callbacks(execute=True):
        rights.remove_rights_document(actor=co_organiser, document=document)

    assert not RightsDocument.objects.exists()
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_members_and_outsiders_cannot_remove_documents(request, organiser, screening, persona):
    document = attach(organiser, screening)

    with pytest.raises(PermissionDenied):
        rights.remove_rights_document(actor=request.getfixturevalue(persona), document=document)
    assert RightsDocument.objects.count() == 1


def test_removing_a_document_already_removed_is_a_conflict(organiser, screening):
    document = attach(organiser, screening)
    RightsDocument.objects.filter(pk=document.pk).delete()

    with pytest.raises(Conflict, match="no longer there"):
        rights.remove_rights_document(actor=organiser, document=document)


# --- Downloading


def test_an_organiser_downloads_a_document_as_an_attachment(client, organiser, screening):
    document = attach(organiser, screening, name="Licence Méliès.pdf")
    client.force_login(organiser)

    response = client.get(reverse("events:rights_document", args=[document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Licence%20M%C3%A9li%C3%A8s.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_documents_are_forbidden_to_members_and_outsiders(
    client, request, organiser, screening, persona
):
    document = attach(organiser, screening)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("events:rights_document", args=[document.pk]))

    assert response.status_code == 403
    assert PDF not in response.content


def test_anonymous_visitors_are_sent_to_sign_in_for_a_document(client, organiser, screening):
    document = attach(organiser, screening)

    response = client.get(reverse("events:rights_document", args=[document.pk]))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_an_unknown_or_lost_document_is_not_found(client, organiser, screening):
    document = attach(organiser, screening)
    document.file.storage.delete(document.file.name)
    client.force_login(organiser)

    assert client.get(reverse("events:rights_document", args=[document.pk])).status_code == 404
    assert client.get(reverse("events:rights_document", args=[document.pk + 99])).status_code == 404


# --- The upload and removal forms


def test_uploading_through_the_page_attaches_the_document(client, organiser, screening):
    client.force_login(organiser)
    url = reverse("events:rights_document_upload", args=[screening.event_id, screening.pk])

    response = client.post(url, {"upload": upload("licence.pdf", PDF)})

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "events:screening_rights", args=[screening.event_id, screening.pk]
    )
    assert screening.documents.get().original_name == "licence.pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("licence.pdf", image("PNG"), "named as a PDF"),
        ("licence.pdf", b"", "empty"),
        ("licence.pdf", PDF + b"0" * (10 * 1024 * 1024), "larger than 10 MB"),
    ],
)
def test_a_refused_upload_is_explained_on_the_page(
    client, organiser, screening, settings, name, content, message
):
    client.force_login(organiser)
    url = reverse("events:rights_document_upload", args=[screening.event_id, screening.pk])

    response = client.post(url, {"upload": upload(name, content)})

    assert response.status_code == 200
    assert message in response.text
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []


def test_an_upload_without_a_file_is_explained_on_the_page(client, organiser, screening):
    client.force_login(organiser)
    url = reverse("events:rights_document_upload", args=[screening.event_id, screening.pk])

    response = client.post(url, {})

    assert response.status_code == 200
    assert "This field is required" in response.text


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_members_and_outsiders_cannot_upload_through_the_page(
    client, request, screening, settings, persona
):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("events:rights_document_upload", args=[screening.event_id, screening.pk])

    response = client.post(url, {"upload": upload("licence.pdf", PDF)})

    assert response.status_code == 403
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []


def test_removing_through_the_page_goes_back_to_the_rights(client, organiser, screening):
    document = attach(organiser, screening)
    client.force_login(organiser)

    response = client.post(reverse("events:rights_document_remove", args=[document.pk]))

    assert response.status_code == 302
    assert not Screening.objects.get(pk=screening.pk).documents.exists()


def test_a_member_cannot_remove_through_the_page(client, organiser, member, screening):
    document = attach(organiser, screening)
    client.force_login(member)

    response = client.post(reverse("events:rights_document_remove", args=[document.pk]))

    assert response.status_code == 403
    assert RightsDocument.objects.filter(pk=document.pk).exists()
