"""Exporters: small registered classes that turn plain data into a file (pretix ``exporter.py`` style).

An exporter has an ``identifier`` (used in URLs and the API), a Vietnamese ``verbose_name``, its
``options`` (rendered as a form by the web layer) and either a row generator
(:class:`TableExporter`, XLSX) or a document builder (:class:`DocumentExporter`, DOCX). The caller
gives it the data it needs (``source``: plain values, already fetched and permission-checked) and calls
:meth:`Exporter.render`.

Examples
--------
>>> from pciplan.officedoc.exporters import TableExporter, ExportOption, register, get_exporter, unregister
>>> from pciplan.officedoc.xlsx import Column, Sheet
>>> @register
... class DemoTotals(TableExporter):
...     identifier = "demo-totals"
...     verbose_name = "Tổng điểm PCI (ví dụ)"
...     options = (ExportOption("decimals", "Số chữ số thập phân", kind="int", default=2),)
...     def sheets(self, options):
...         yield Sheet("PCI", [Column("Tỉnh"), Column("PCI", "number", decimals=options["decimals"])],
...                     self.source)
>>> result = get_exporter("demo-totals")([("Bắc Giang", 63.98)]).render()
>>> result.filename, result.content_type.endswith("sheet")
('tong-diem-pci-vi-du.xlsx', True)
>>> _ = unregister("demo-totals")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pciplan.lib.dates import parse_date
from pciplan.lib.numbers import NumberFormatError, parse_decimal
from pciplan.lib.text import fold_key

from .builder import DOCX_CONTENT_TYPE, render_docx
from .document import AdminDocument
from .xlsx import XLSX_CONTENT_TYPE, Sheet, write_xlsx

OptionKind = Literal["text", "int", "decimal", "bool", "choice", "date"]


class ExportOptionError(ValueError):
    """An option value is invalid; ``field`` names the option, the message is Vietnamese."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ExportOption:
    """An option of an exporter, shown as a form field.

    Parameters
    ----------
    name : str
        Key in the options mapping.
    label : str
        Vietnamese label.
    kind : {"text", "int", "decimal", "bool", "choice", "date"}
        Value type; ``decimal`` accepts ``7,61``; ``date`` accepts ``15/8/2020``.
    default : any
        Value when the option is not given (``None`` with ``required=True`` makes it mandatory).
    choices : tuple of (value, label)
        For ``choice``.
    required : bool
        Whether a value must be given.
    help_text : str
        Vietnamese hint under the field.

    Examples
    --------
    >>> ExportOption("quarter", "Quý", kind="choice", default=1,
    ...              choices=((1, "Quý I"), (2, "Quý II"))).clean("2")
    2
    """

    name: str
    label: str
    kind: OptionKind = "text"
    default: Any = None
    choices: tuple[tuple[Any, str], ...] = ()
    required: bool = False
    help_text: str = ""

    def clean(self, raw: Any) -> Any:
        """Convert a raw value (from a form or query string) or raise :class:`ExportOptionError`."""
        if raw is None or raw == "":
            if self.required and self.default is None:
                raise ExportOptionError(self.name, f"Chưa chọn “{self.label}”.")
            return self.default
        try:
            if self.kind == "text":
                return str(raw).strip()
            if self.kind == "int":
                if isinstance(raw, bool):
                    raise ValueError
                return int(str(raw).strip())
            if self.kind == "decimal":
                return parse_decimal(raw)
            if self.kind == "bool":
                if isinstance(raw, bool):
                    return raw
                return str(raw).strip().lower() in {"1", "true", "on", "yes", "co", "có"}
            if self.kind == "date":
                return raw if isinstance(raw, dt.date) else parse_date(str(raw))
            if self.kind == "choice":
                for value, _label in self.choices:
                    if str(value) == str(raw):
                        return value
                raise ExportOptionError(self.name, f"“{raw}” không phải là lựa chọn hợp lệ cho “{self.label}”.")
        except ExportOptionError:
            raise
        except (ValueError, NumberFormatError):
            kinds = {"int": "một số nguyên", "decimal": "một số (ví dụ 7,61)", "date": "một ngày (dd/mm/yyyy)"}
            raise ExportOptionError(self.name, f"“{self.label}” phải là {kinds.get(self.kind, 'hợp lệ')}.")
        raise ExportOptionError(self.name, f"Kiểu tùy chọn không hỗ trợ: {self.kind}.")


@dataclass(frozen=True)
class ExportResult:
    """The rendered file: name (ASCII, safe for a Content-Disposition header), MIME type, bytes."""

    filename: str
    content_type: str
    data: bytes


class Exporter:
    """Base class. Subclasses set ``identifier``, ``verbose_name``, ``options`` and implement
    :meth:`render_bytes` (or use :class:`TableExporter` / :class:`DocumentExporter`).

    ``source`` is whatever plain data the exporter needs, handed over by the caller.
    """

    identifier: ClassVar[str] = ""
    verbose_name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    extension: ClassVar[str] = ""
    content_type: ClassVar[str] = "application/octet-stream"
    options: ClassVar[tuple[ExportOption, ...]] = ()

    def __init__(self, source: Any = None):
        self.source = source

    @classmethod
    def clean_options(cls, raw: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Validate ``raw`` against :attr:`options`; unknown keys are ignored.

        Raises :class:`ExportOptionError` for the first invalid value.
        """
        raw = raw or {}
        return {option.name: option.clean(raw.get(option.name)) for option in cls.options}

    def filename(self, options: Mapping[str, Any]) -> str:
        """File name without extension; defaults to the folded Vietnamese name."""
        return fold_key(self.verbose_name).replace(" ", "-") or self.identifier

    def render_bytes(self, options: Mapping[str, Any]) -> bytes:
        raise NotImplementedError

    def render(self, options: Mapping[str, Any] | None = None, /, **kwargs: Any) -> ExportResult:
        """Validate the options and produce the file.

        Options come as a mapping and/or keyword arguments (keywords win).
        """
        cleaned = self.clean_options({**(options or {}), **kwargs})
        data = self.render_bytes(cleaned)
        name = self.filename(cleaned)
        return ExportResult(f"{name}.{self.extension}" if self.extension else name, self.content_type, data)


class TableExporter(Exporter):
    """An XLSX exporter: implement :meth:`sheets` as a generator of :class:`~pciplan.officedoc.xlsx.Sheet`."""

    extension = "xlsx"
    content_type = XLSX_CONTENT_TYPE

    def sheets(self, options: Mapping[str, Any]) -> Iterable[Sheet]:
        raise NotImplementedError

    def render_bytes(self, options: Mapping[str, Any]) -> bytes:
        return write_xlsx(list(self.sheets(options)), title=self.verbose_name)


class DocumentExporter(Exporter):
    """A DOCX exporter: implement :meth:`document` returning an :class:`AdminDocument`."""

    extension = "docx"
    content_type = DOCX_CONTENT_TYPE

    def document(self, options: Mapping[str, Any]) -> AdminDocument:
        raise NotImplementedError

    def render_bytes(self, options: Mapping[str, Any]) -> bytes:
        return render_docx(self.document(options))


_REGISTRY: dict[str, type[Exporter]] = {}


def register(cls: type[Exporter]) -> type[Exporter]:
    """Class decorator: register an exporter under its ``identifier``.

    Raises ``ValueError`` when the identifier is blank or already taken by another class.
    """
    if not cls.identifier or not cls.verbose_name:
        raise ValueError(f"{cls.__name__}: exporter needs an identifier and a verbose_name")
    existing = _REGISTRY.get(cls.identifier)
    if existing is not None and existing.__qualname__ != cls.__qualname__:
        raise ValueError(f"exporter identifier {cls.identifier!r} already used by {existing.__qualname__}")
    _REGISTRY[cls.identifier] = cls
    return cls


def unregister(identifier: str) -> type[Exporter] | None:
    """Remove an exporter (for tests)."""
    return _REGISTRY.pop(identifier, None)


def get_exporter(identifier: str) -> type[Exporter]:
    """The exporter class registered under ``identifier``; ``KeyError`` if none."""
    try:
        return _REGISTRY[identifier]
    except KeyError:
        raise KeyError(f"Không có kiểu xuất dữ liệu “{identifier}”.")


def exporters(extension: str | None = None) -> list[type[Exporter]]:
    """Registered exporters sorted by Vietnamese name, optionally only ``xlsx`` or ``docx`` ones."""
    found = [c for c in _REGISTRY.values() if extension is None or c.extension == extension]
    return sorted(found, key=lambda c: fold_key(c.verbose_name))


@register
class SheetsExporter(TableExporter):
    """"Xuất Excel" of any page table: ``source`` is a :class:`Sheet` or a list of them."""

    identifier = "bang"
    verbose_name = "Bảng dữ liệu"
    description = "Xuất bảng đang xem ra tệp Excel."

    def sheets(self, options: Mapping[str, Any]) -> Iterable[Sheet]:
        if isinstance(self.source, Sheet):
            return [self.source]
        return list(self.source or [])

    def filename(self, options: Mapping[str, Any]) -> str:
        first = self.source if isinstance(self.source, Sheet) else (self.source or [None])[0]
        name = fold_key(first.name if first is not None else "").replace(" ", "-")
        return name or "bang"


@register
class DocumentSpecExporter(DocumentExporter):
    """Any administrative document already assembled as an :class:`AdminDocument` (``source``)."""

    identifier = "van-ban"
    verbose_name = "Văn bản hành chính"
    description = "Văn bản theo thể thức Nghị định 30/2020/NĐ-CP (DOCX)."

    def document(self, options: Mapping[str, Any]) -> AdminDocument:
        return self.source

    def filename(self, options: Mapping[str, Any]) -> str:
        spec: AdminDocument = self.source
        parts = [spec.doc_type or "cong van", spec.summary[:60]]
        return fold_key(" ".join(parts)).replace(" ", "-") or "van-ban"
