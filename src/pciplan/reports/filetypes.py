"""What an uploaded evidence file really is, decided by its content — pure, no Django.

Accepted: PDF, Word (DOCX), Excel (XLSX), PNG and JPEG. The extension must agree with the content; a
renamed file (an EXE called ``bao-cao.pdf``, a macro-enabled ``.docm`` renamed ``.docx``, an HTML page
called ``anh.png``) is refused.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("pdf", "PDF", "application/pdf", ("pdf",))
DOCX = FileKind("docx", "Word (DOCX)",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",))
XLSX = FileKind("xlsx", "Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",))
PNG = FileKind("png", "Ảnh PNG", "image/png", ("png",))
JPEG = FileKind("jpeg", "Ảnh JPEG", "image/jpeg", ("jpg", "jpeg"))
KINDS = (PDF, DOCX, XLSX, PNG, JPEG)
ACCEPT_ATTR = ",".join(f".{ext}" for kind in KINDS for ext in kind.extensions)
ACCEPTED_TEXT = "PDF, Word (.docx), Excel (.xlsx), ảnh PNG hoặc JPEG"

# The main part an OOXML package must declare, by kind (macro-enabled variants are different types).
_MAIN_PARTS = {
    "docx": ("/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


class FileTypeError(ValueError):
    """The file is not one of the accepted kinds (message in Vietnamese)."""


def _ooxml_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo("[Content_Types].xml")
            except KeyError:
                return None
            if info.file_size > 2_000_000:
                return None
            root = ElementTree.fromstring(archive.read(info))
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, RuntimeError, ValueError):
        return None
    overrides = {el.get("PartName"): el.get("ContentType") for el in root.iter(f"{_CT_NS}Override")}
    for key, (part, content_type) in _MAIN_PARTS.items():
        if overrides.get(part) == content_type and part.lstrip("/") in names:
            return key
    return None


def sniff(data: bytes) -> FileKind | None:
    """The kind of a file from its bytes, or ``None``.

    >>> sniff(b"%PDF-1.7\\n...").key
    'pdf'
    >>> sniff(b"\\x89PNG\\r\\n\\x1a\\n....").key
    'png'
    >>> sniff(b"MZ\\x90\\x00") is None
    True
    """
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        key = _ooxml_kind(data)
        return {"docx": DOCX, "xlsx": XLSX}.get(key) if key else None
    return None


def check_upload(name: str, data: bytes, *, max_bytes: int) -> FileKind:
    """Check an upload's size, content and extension; return its kind or raise :class:`FileTypeError`.

    >>> check_upload("bien-ban.pdf", b"%PDF-1.4 ...", max_bytes=1000).content_type
    'application/pdf'
    >>> try:
    ...     check_upload("anh.png", b"%PDF-1.4 ...", max_bytes=1000)
    ... except FileTypeError as exc:
    ...     print(exc)
    Tệp “anh.png” có đuôi .png nhưng nội dung là PDF. Hãy tải lên đúng tệp gốc.
    """
    size = len(data)
    if size == 0:
        raise FileTypeError(f"Tệp “{name}” trống.")
    if size > max_bytes:
        raise FileTypeError(f"Tệp “{name}” dung lượng {_mb(size)}, vượt mức cho phép {_mb(max_bytes)}.")
    kind = sniff(data)
    if kind is None:
        raise FileTypeError(f"Tệp “{name}” không phải là {ACCEPTED_TEXT} (đã kiểm tra theo nội dung tệp).")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in kind.extensions:
        shown = f".{ext}" if ext else "(không có)"
        raise FileTypeError(f"Tệp “{name}” có đuôi {shown} nhưng nội dung là {kind.label}. Hãy tải lên đúng tệp gốc.")
    return kind


def _mb(n: int) -> str:
    from pciplan.lib.numbers import format_number

    return f"{format_number(n / 1024 / 1024, 1)} MB"
