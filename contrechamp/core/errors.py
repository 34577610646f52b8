"""Domain exceptions raised by services, with a message a person can read.

Views and the API never decide how to answer them one by one: `DomainErrorMiddleware`
turns an uncaught one into a page with the right status, and form views add
`error.message` to the form (see `core.views.form_error_from`).
"""

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule refused the action; nothing was changed."""

    status_code = 400

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


class Conflict(DomainError):
    """The action clashes with the current state (already done, taken, full…)."""

    status_code = 409


class InvalidTransition(Conflict):
    """The object is not in a state where this action makes sense."""
