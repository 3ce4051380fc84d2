"""Engine errors: one base class, Vietnamese messages a user can act on."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EngineError", "EditionError", "DataNotFound", "InputError", "Issue"]


class EngineError(ValueError):
    """Base class of every error the engine raises on purpose; ``message`` is Vietnamese.

    Examples
    --------
    >>> str(EngineError("Thiếu dữ liệu."))
    'Thiếu dữ liệu.'
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EditionError(EngineError):
    """An edition (method) is invalid: weights not summing to 100%, a weight out of range, duplicate codes."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [message])


class DataNotFound(EngineError):
    """The shipped data have nothing for what was asked (a province or year without results)."""


class InputError(EngineError):
    """Bad input from a user or a file."""


@dataclass(frozen=True)
class Issue:
    """A problem found in an input table: row (as numbered in the spreadsheet), column, message.

    Examples
    --------
    >>> str(Issue(3, "pci", "Ô không phải là số: “abc”."))
    'Dòng 3, cột “pci”: Ô không phải là số: “abc”.'
    """

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột “{self.column}”")
        prefix = ", ".join(where)
        return (prefix[:1].upper() + prefix[1:] + ": " if prefix else "") + self.message
