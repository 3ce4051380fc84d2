"""Evidence files are judged by their content — pure, no database."""

import io
import zipfile

import pytest
from docx import Document
from openpyxl import Workbook

from pciplan.reports.filetypes import FileTypeError, check_upload, sniff

LIMIT = 1_000_000


def _docx() -> bytes:
    doc = Document()
    doc.add_paragraph("Biên bản (tệp thử nghiệm)")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    wb = Workbook()
    wb.active["A1"] = "Số liệu (tệp thử nghiệm)"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PDF = b"%PDF-1.4\n%synthetic\n"


@pytest.mark.parametrize(("name", "data", "key"), [
    ("bien-ban.pdf", PDF, "pdf"), ("anh.png", PNG, "png"), ("anh.JPG", JPEG, "jpeg"), ("anh.jpeg", JPEG, "jpeg"),
    ("bao-cao.docx", _docx(), "docx"), ("so-lieu.xlsx", _xlsx(), "xlsx"),
])
def test_real_files_are_accepted(name, data, key):
    assert check_upload(name, data, max_bytes=LIMIT).key == key


@pytest.mark.parametrize(("name", "data"), [
    ("bao-cao.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60),                       # a Windows program renamed .pdf
    ("anh.png", b"<html><script>alert(1)</script></html>"),                 # a web page renamed .png
    ("anh.png", PDF),                                                       # a PDF renamed .png
    ("bao-cao.docx", _xlsx()),                                              # a workbook renamed .docx
    ("bao-cao.pdf", _docx()),                                               # a Word file renamed .pdf
    ("nen.docx", b"PK\x03\x04" + b"\x00" * 40),                            # a broken zip
    ("bao-cao", PDF),                                                       # no extension
])
def test_spoofed_or_unknown_files_are_rejected(name, data):
    with pytest.raises(FileTypeError):
        check_upload(name, data, max_bytes=LIMIT)


def test_a_macro_enabled_document_renamed_docx_is_rejected():
    source = zipfile.ZipFile(io.BytesIO(_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
            target.writestr(item, data)
    assert sniff(out.getvalue()) is None
    with pytest.raises(FileTypeError):
        check_upload("bao-cao.docx", out.getvalue(), max_bytes=LIMIT)


def test_a_plain_zip_is_not_an_office_file():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("word/document.xml", "<w/>")
    assert sniff(out.getvalue()) is None


def test_size_is_checked():
    with pytest.raises(FileTypeError, match="vượt mức"):
        check_upload("lon.pdf", PDF + b"0" * 2000, max_bytes=1000)
    with pytest.raises(FileTypeError, match="trống"):
        check_upload("rong.pdf", b"", max_bytes=1000)
