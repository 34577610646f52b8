"""Where files that are not for everyone live.

Posters and item photos go to the default storage, served publicly under MEDIA_URL.
Licences and contracts go to `PrivateStorage`: the PRIVATE_MEDIA_ROOT folder, outside
MEDIA_ROOT and never served as is; a view hands a file out after checking who asks.
"""

import os
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="contrechamp.core.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """A FileSystemStorage rooted at settings.PRIVATE_MEDIA_ROOT, read when first used
    (and again when a test moves it), as the default storage reads MEDIA_ROOT."""

    @cached_property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @cached_property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def _clear_cached_properties(self, setting: Any, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)
