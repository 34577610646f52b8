import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contrechamp.core import uploads
from contrechamp.core.errors import DomainError


def office(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
    return buffer.getvalue()


def opendocument(mimetype: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("tableau.xlsx", office("xl/workbook.xml"), uploads.XLSX),
        ("tableau.ods", opendocument(uploads.ODS.content_type.encode()), uploads.ODS),
        ("photo.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ", uploads.WEBP),
        ("photo.jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF", uploads.JPEG),
        ("rush.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00", uploads.MP4),
        ("rush.mov", b"\x00\x00\x00\x14ftypqt  \x00\x00", uploads.MOV),
        ("rush.webm", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81", uploads.WEBM),
        ("son.wav", b"RIFF\x00\x00\x00\x00WAVEfmt ", uploads.WAV),
        ("son.flac", b"fLaC\x00\x00\x00\x22", uploads.FLAC),
        ("son.mp3", b"ID3\x04\x00\x00\x00\x00", uploads.MP3),
    ],
)
def test_each_known_type_is_recognised_from_its_bytes(name, content, expected):
    upload = SimpleUploadedFile(name, content)
    accepted = uploads.IMAGES + uploads.SPREADSHEETS + uploads.VIDEOS + uploads.SOUNDS

    assert uploads.check_upload(upload, accepted=accepted, max_bytes=1024) == expected


def test_a_type_outside_the_accepted_ones_is_refused_with_their_names():
    upload = SimpleUploadedFile("notes.pdf", b"%PDF-1.7")

    with pytest.raises(DomainError, match="Send a JPEG, PNG or WebP file"):
        uploads.check_upload(upload, accepted=uploads.IMAGES, max_bytes=1024)


def test_a_spreadsheet_named_as_a_text_document_is_refused():
    upload = SimpleUploadedFile("lettre.docx", office("xl/workbook.xml"))

    with pytest.raises(DomainError, match="named as a DOCX"):
        uploads.check_upload(upload, accepted=uploads.DOCUMENTS, max_bytes=1024)


def test_the_limit_is_said_in_megabytes():
    upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 600_000)

    with pytest.raises(DomainError, match=r"larger than 0\.5 MB"):
        uploads.check_upload(upload, accepted=uploads.IMAGES, max_bytes=uploads.MEGABYTE // 2)


def test_the_accept_attribute_offers_extensions_then_types():
    assert uploads.accept_attribute(uploads.IMAGES) == (
        ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp"
    )


def test_a_readable_name_drops_folders_and_control_characters():
    name = uploads.readable_name("C:\\Users\\x\\Fiche\x07 16mm.PDF", uploads.PDF, max_length=20)

    assert name == "Fiche 16mm.pdf"
