"""The one error class :mod:`pciplan.plandoc` raises, with a message a Vietnamese user can act on."""

from __future__ import annotations


class PlanDocError(ValueError):
    """A document that cannot be read as a plan.

    ``str(error)`` is a complete Vietnamese sentence for the user; ``code`` is a stable English token
    for programs (``empty``, ``no_text_layer``, ``unsupported_format``, ``unreadable``, ``not_a_plan``,
    ``too_large``).
    """

    def __init__(self, message: str, *, code: str = "unreadable"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message
