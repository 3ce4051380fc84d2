"""The one error type that services raise for a refused action; its message is shown to the user."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused an action. ``message`` is Vietnamese and says what and where.

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return self.message
