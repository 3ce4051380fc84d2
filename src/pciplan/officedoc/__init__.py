"""Documents in the Vietnamese administrative format (Nghị định 30/2020/NĐ-CP) and Excel tables.

Pure library: python-docx and openpyxl only, no Django.

- :func:`render_docx` / :func:`build_docx` — a KẾ HOẠCH, BÁO CÁO or evaluation sheet from an
  :class:`AdminDocument` whose body is :class:`Heading`, :class:`Paragraph`, :class:`Bullet`,
  :class:`Table`, :class:`Image` and :class:`PageBreak` blocks.
- :func:`write_xlsx` / :func:`read_sheet` — "Xuất Excel" of a page table or report annex, and reading a
  sheet back with row numbers for importers.
- :mod:`~pciplan.officedoc.exporters` — registered exporter classes (identifier, Vietnamese name,
  options, a document builder or a row generator).

See ``docs/officedoc.md``.
"""

from .builder import DOCX_CONTENT_TYPE, TEXT_WIDTH_MM, build_docx, render_docx
from .document import (
    AdminDocument,
    Bullet,
    Cell,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Run,
    Signer,
    Table,
    TableColumn,
    recipient_lines,
    runs_from_markup,
)
from .exporters import (
    DocumentExporter,
    Exporter,
    ExportOption,
    ExportOptionError,
    ExportResult,
    TableExporter,
    exporters,
    get_exporter,
    register,
    unregister,
)
from .numbering import document_number_line, heading_label, roman, vietnamese_letter
from .xlsx import (
    XLSX_CONTENT_TYPE,
    Column,
    Sheet,
    SheetData,
    SheetFormatError,
    SheetRow,
    number_format,
    read_sheet,
    write_xlsx,
)

__all__ = [
    "DOCX_CONTENT_TYPE",
    "TEXT_WIDTH_MM",
    "XLSX_CONTENT_TYPE",
    "AdminDocument",
    "Bullet",
    "Cell",
    "Column",
    "DocumentExporter",
    "ExportOption",
    "ExportOptionError",
    "ExportResult",
    "Exporter",
    "Heading",
    "Image",
    "PageBreak",
    "Paragraph",
    "Run",
    "Sheet",
    "SheetData",
    "SheetFormatError",
    "SheetRow",
    "Signer",
    "Table",
    "TableColumn",
    "TableExporter",
    "build_docx",
    "document_number_line",
    "exporters",
    "get_exporter",
    "heading_label",
    "read_sheet",
    "recipient_lines",
    "register",
    "render_docx",
    "number_format",
    "roman",
    "runs_from_markup",
    "vietnamese_letter",
    "unregister",
    "write_xlsx",
]
