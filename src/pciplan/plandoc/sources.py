"""Getting text out of a plan file: DOCX (paragraphs and table cells in document order), PDF (its text
layer, through pypdf) or plain text. Every failure is a :class:`PlanDocError` with a Vietnamese message."""

from __future__ import annotations

import io
import os
import zipfile

from .errors import PlanDocError

MAX_BYTES = 50 * 1024 * 1024
# What a DOCX may unpack to. zipfile never unpacks a member past the size it declares, so checking the
# declared sizes first refuses a small upload that unpacks to gigabytes (a "ZIP bomb") before python-docx
# parses it: 50 MB of document XML already takes python-docx about 40 s and 1 GB of memory. A long plan
# (a hundred pages) has a few MB of XML.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_XML_BYTES = 32 * 1024 * 1024


def sniff_format(data: bytes, filename: str | None = None) -> str:
    """``"pdf"``, ``"docx"``, ``"doc"`` (old binary Word), ``"zip"`` (another archive) or ``"text"``."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
            return "zip"
        return "docx" if "word/document.xml" in names else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    return "text"


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258 / TCVN-free
    legacy text as a last resort only when it decodes cleanly."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise PlanDocError("Tệp không phải là văn bản đọc được (có thể là tệp nhị phân hoặc bị hỏng).",
                           code="unreadable")
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        plain = sum(ch.isalnum() or ch.isspace() or ch in ".,;:()-–/%“”\"'" for ch in text)
        if plain >= 0.9 * len(text):
            return text
        raise PlanDocError("Tệp không phải là văn bản đọc được (có thể là tệp nhị phân hoặc bị hỏng).",
                           code="unreadable")
    raise PlanDocError("Không đọc được bảng mã của tệp văn bản; hãy lưu lại với bảng mã UTF-8.",
                           code="unreadable")


def docx_text(data: bytes) -> str:
    """Paragraphs and table rows of a DOCX in document order; a table row becomes one line with its
    cells separated by tabs (merged cells once)."""
    _check_unpacked_size(data)
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise PlanDocError(f"Không mở được tệp DOCX (tệp hỏng hoặc không đúng định dạng): {type(exc).__name__}.",
                           code="unreadable")
    lines: list[str] = []

    def cell_text(cell) -> str:
        parts = [p.text for p in cell.paragraphs]
        for inner in cell.tables:
            for row in inner.rows:
                parts.append(" ".join(c.text for c in row.cells))
        return " ".join(" ".join(parts).split())

    def walk(container) -> None:
        for block in container.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    seen, cells = set(), []
                    for cell in row.cells:
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        cells.append(cell_text(cell))
                    if any(cells):
                        lines.append("\t".join(cells) if len(cells) > 1 else cells[0])
                lines.append("")

    try:
        walk(document)
    except Exception as exc:
        raise PlanDocError(f"Không đọc được nội dung tệp DOCX: {type(exc).__name__}.", code="unreadable")
    return "\n".join(lines)


def _check_unpacked_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception:  # a damaged package: python-docx reports it
        return
    total = sum(m.file_size for m in members)
    xml = sum(m.file_size for m in members if m.filename.lower().endswith((".xml", ".rels")))
    if total > MAX_UNPACKED_BYTES or xml > MAX_XML_BYTES:
        mb = 1024 * 1024
        raise PlanDocError(f"Tệp DOCX khi giải nén lớn bất thường ({xml // mb} MB nội dung và định dạng, {total // mb} MB "
                           f"tất cả; giới hạn {MAX_XML_BYTES // mb} MB và {MAX_UNPACKED_BYTES // mb} MB): tệp bị hỏng "
                           "hoặc không phải văn bản thông thường. Hãy mở bằng Word, lưu lại rồi nhập lại.",
                           code="too_large")


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, page by page. A scanned PDF (images only) has none."""
    try:
        import logging

        from pypdf import PdfReader

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                raise PlanDocError("Tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi nhập lại.", code="unreadable")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PlanDocError:
        raise
    except Exception as exc:
        raise PlanDocError(f"Không mở được tệp PDF (tệp hỏng hoặc không đúng định dạng): {type(exc).__name__}.",
                           code="unreadable")
    text = "\n".join(pages)
    if sum(ch.isalpha() for ch in text) < 20:
        raise PlanDocError("Tệp PDF không có lớp chữ (có thể là bản quét ảnh). Hãy dùng bản DOCX hoặc PDF có chữ, "
                           "hoặc nhận dạng chữ (OCR) trước khi nhập.", code="no_text_layer")
    return text


def extract_text(data: bytes, filename: str | None = None) -> tuple[str, str]:
    """Text of a plan file and the format it was read as (``docx``, ``pdf`` or ``text``)."""
    if not data or not data.strip():
        raise PlanDocError("Tệp trống: không có nội dung để đọc.", code="empty")
    if len(data) > MAX_BYTES:
        raise PlanDocError("Tệp quá lớn (hơn 50 MB).", code="too_large")
    kind = sniff_format(data, filename)
    if kind == "pdf":
        return pdf_text(data), "pdf"
    if kind == "docx":
        return docx_text(data), "docx"
    if kind == "doc":
        raise PlanDocError("Tệp Word cũ (.doc) chưa được hỗ trợ; hãy lưu lại thành .docx rồi nhập.",
                           code="unsupported_format")
    if kind == "zip":
        raise PlanDocError("Tệp nén này không phải là tài liệu Word (.docx).", code="unsupported_format")
    return decode_text(data), "text"


def read_file(path: str | os.PathLike) -> tuple[str, str]:
    """Read a plan file from disk (see :func:`extract_text`)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise PlanDocError(f"Không tìm thấy tệp “{path}”.", code="unreadable")
    except IsADirectoryError:
        raise PlanDocError(f"“{path}” là thư mục, không phải tệp.", code="unreadable")
    except OSError as exc:
        raise PlanDocError(f"Không đọc được tệp “{path}”: {exc.strerror or exc}.", code="unreadable")
    return extract_text(data, os.fspath(path))
