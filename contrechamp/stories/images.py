"""Images members add to stories: checked by their bytes, decoded, re-encoded.

Re-encoding drops what the file carried besides the picture (camera, GPS position) and
bounds the size served to readers; the uploaded bytes are never stored.
"""

import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from contrechamp.core import uploads
from contrechamp.core.errors import DomainError

MAX_BYTES = 8 * uploads.MEGABYTE
MAX_PIXELS = 40_000_000
DISPLAY_SIZE = (1600, 1600)
THUMBNAIL_SIZE = (480, 480)


@dataclass(frozen=True)
class Processed:
    display: bytes
    thumbnail: bytes
    width: int
    height: int


def _jpeg(image: Image.Image, size: tuple[int, int]) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail(size)
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue(), copy.width, copy.height


def process(upload: UploadedFile[Any]) -> Processed:
    """A JPEG, PNG or WebP image of 8 MB at most, as a display JPEG (1600 px at most) and a
    thumbnail (480 px); otherwise DomainError, with nothing kept."""
    uploads.check_upload(upload, accepted=uploads.IMAGES, max_bytes=MAX_BYTES)
    upload.seek(0)
    content = upload.read()
    refusal = _("This image cannot be read: send a JPEG, PNG or WebP image.")
    try:
        with Image.open(io.BytesIO(content)) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise DomainError(_("This image is too large: send one under 40 megapixels."))
            probe.verify()
        with Image.open(io.BytesIO(content)) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
    ) as error:
        raise DomainError(refusal) from error
    display, shown_width, shown_height = _jpeg(image, DISPLAY_SIZE)
    thumbnail, _width, _height = _jpeg(image, THUMBNAIL_SIZE)
    return Processed(display=display, thumbnail=thumbnail, width=shown_width, height=shown_height)
