"""Checking a file a member uploads: its size, and its type read from its bytes.

A file's name and the type the browser sends are claims; the first bytes say what it is.
Every app that keeps uploads calls `check_upload` with the types it accepts:

    file_type = uploads.check_upload(
        upload, accepted=uploads.DOCUMENTS, max_bytes=10 * 1024 * 1024
    )
    stored_name = uploads.random_name(file_type)      # unguessable, keeps the extension
    shown_name = uploads.readable_name(upload.name, file_type, max_length=200)

It raises `DomainError` with a message a person can act on, and reads at most the file's
first bytes and, for office documents (ZIP archives), the archive's directory.
"""

import secrets
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from contrechamp.core.errors import DomainError

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    # What a person calls it in a message.
    label: str
    # Other extensions a file of this type may carry ("jpeg" for a JPEG).
    aliases: tuple[str, ...] = ()

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


PDF = FileType("application/pdf", "pdf", "PDF")
PNG = FileType("image/png", "png", "PNG")
JPEG = FileType("image/jpeg", "jpg", "JPEG", aliases=("jpeg",))
WEBP = FileType("image/webp", "webp", "WebP")
ODT = FileType("application/vnd.oasis.opendocument.text", "odt", "ODT")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "ods", "ODS")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "DOCX"
)
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "XLSX")
MP4 = FileType("video/mp4", "mp4", "MP4", aliases=("m4v",))
MOV = FileType("video/quicktime", "mov", "MOV")
WEBM = FileType("video/webm", "webm", "WebM", aliases=("mkv",))
WAV = FileType("audio/wav", "wav", "WAV")
MP3 = FileType("audio/mpeg", "mp3", "MP3")
FLAC = FileType("audio/flac", "flac", "FLAC")

# Families in the order messages name them; combine them with +.
IMAGES = (JPEG, PNG, WEBP)
DOCUMENTS = (PDF, PNG, JPEG, ODT, DOCX)
SPREADSHEETS = (ODS, XLSX)
VIDEOS = (MP4, MOV, WEBM)
SOUNDS = (WAV, MP3, FLAC)

_OPEN_DOCUMENT_TYPES = {kind.content_type.encode(): kind for kind in (ODT, ODS)}
_OFFICE_MAIN_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}


def _office_document(upload: UploadedFile[Any]) -> FileType | None:
    """ODT, ODS, DOCX and XLSX files are ZIP archives: what they hold says which. Only the
    archive's directory is read, and OpenDocument's tiny `mimetype` entry."""
    if upload.file is None:
        return None
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload.file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
                return _OPEN_DOCUMENT_TYPES.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                for part, kind in _OFFICE_MAIN_PARTS.items():
                    if part in names:
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def sniff_type(upload: UploadedFile[Any]) -> FileType | None:
    """The type the file's first bytes show, whatever its name or the browser says; None
    for a type this module does not know."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"PK\x03\x04"):
        return _office_document(upload)
    if head[4:8] == b"ftyp":
        return MOV if head[8:10] == b"qt" else MP4
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return MP3
    return None


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _labels(accepted: Sequence[FileType]) -> str:
    """ "PDF, PNG or JPEG", in the caller's order."""
    labels = list(dict.fromkeys(kind.label for kind in accepted))
    if len(labels) == 1:
        return labels[0]
    return _("%(list)s or %(last)s") % {"list": ", ".join(labels[:-1]), "last": labels[-1]}


def accept_attribute(accepted: Sequence[FileType]) -> str:
    """The `accept` of a file input offering `accepted` (by extension and by type): a
    convenience for the person choosing; `check_upload` is what decides."""
    extensions = [f".{ext}" for kind in accepted for ext in (kind.extension, *kind.aliases)]
    content_types = sorted({kind.content_type for kind in accepted})
    return ",".join(dict.fromkeys([*extensions, *content_types]))


def check_upload(
    upload: UploadedFile[Any], *, accepted: Sequence[FileType], max_bytes: int
) -> FileType:
    """The type of `upload` if it is one of `accepted`, not empty and not larger than
    `max_bytes`; otherwise `DomainError`. The name's extension must agree with the
    content: a file named .pdf that is not a PDF is refused."""
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("The file is empty."))
    if size > max_bytes:
        raise DomainError(
            _("The file is larger than %(megabytes)s MB: send a lighter one.")
            % {"megabytes": f"{max_bytes / MEGABYTE:g}"}
        )
    extension = _extension(upload.name or "")
    claimed = next(
        (kind for kind in accepted if extension in (kind.extension, *kind.aliases)), None
    )
    if claimed is None:
        raise DomainError(_("Send a %(types)s file.") % {"types": _labels(accepted)})
    actual = sniff_type(upload)
    if actual != claimed:
        raise DomainError(
            _("This file is named as a %(claimed)s but its content is not one: nothing was kept.")
            % {"claimed": claimed.label}
        )
    return actual


def random_name(file_type: FileType) -> str:
    """A stored name nobody can guess, with the type's extension."""
    return f"{secrets.token_hex(16)}.{file_type.extension}"


def readable_name(name: str | None, file_type: FileType, *, max_length: int) -> str:
    """The file's own name for people (download, list), without folders or control
    characters, within `max_length` and ending in the type's extension."""
    base = PurePath((name or "").replace("\\", "/")).name
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    base = " ".join(base.split()).strip(". ")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem[: max_length - len(file_type.extension) - 1] or _("document")
    return f"{stem}.{file_type.extension}"
