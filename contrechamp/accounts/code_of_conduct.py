"""The site-wide code of conduct (charte de bienveillance) and its version.

The text lives in ``accounts/code_of_conduct.html``. Whenever its meaning changes, raise
``CURRENT_VERSION`` and set ``UPDATED_ON``: every signed-in member who accepted an older
version then sees a banner asking them to read and accept it again.
"""

from datetime import date

from contrechamp.accounts.models import User

CURRENT_VERSION = 1
UPDATED_ON = date(2026, 11, 25)


def must_accept(user: object) -> bool:
    """Whether this (possibly anonymous) user has not accepted the current version yet."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return user.code_of_conduct_version < CURRENT_VERSION
