"""The exporter registry: registration, lookup, options, rendering."""

from __future__ import annotations

import datetime as dt
import doctest
import io
from decimal import Decimal

import pytest
from docx import Document

from pciplan import officedoc
from pciplan.officedoc import (
    Column,
    DocumentExporter,
    ExportOption,
    ExportOptionError,
    Sheet,
    TableExporter,
    exporters,
    get_exporter,
    read_sheet,
    register,
    unregister,
)
from pciplan.officedoc.examples import example_report


@pytest.fixture
def quarterly():
    @register
    class QuarterlyTargets(TableExporter):
        identifier = "test-muc-tieu-quy"
        verbose_name = "Mục tiêu theo quý"
        options = (
            ExportOption("quarter", "Quý", kind="choice", default=1,
                         choices=((1, "Quý I"), (2, "Quý II"), (3, "Quý III"), (4, "Quý IV"))),
            ExportOption("threshold", "Ngưỡng", kind="decimal", default=Decimal("6.5")),
            ExportOption("cutoff", "Ngày chốt", kind="date", required=True),
            ExportOption("detail", "Chi tiết", kind="bool", default=False),
        )

        def sheets(self, options):
            rows = [(name, score) for name, score in self.source if score >= options["threshold"]]
            yield Sheet(f"Quý {options['quarter']}", [Column("Chỉ số"), Column("Điểm", "number")], rows,
                        title=f"Chốt ngày {options['cutoff']:%d/%m/%Y}")

    yield QuarterlyTargets
    unregister(QuarterlyTargets.identifier)


def test_register_and_lookup(quarterly):
    assert get_exporter("test-muc-tieu-quy") is quarterly
    assert quarterly in exporters("xlsx") and quarterly not in exporters("docx")
    with pytest.raises(KeyError, match="Không có kiểu xuất dữ liệu"):
        get_exporter("khong-co")


def test_identifier_must_be_unique(quarterly):
    with pytest.raises(ValueError, match="already used"):
        @register
        class Other(TableExporter):
            identifier = "test-muc-tieu-quy"
            verbose_name = "Khác"


def test_options_are_cleaned_with_vietnamese_input(quarterly):
    cleaned = quarterly.clean_options({"quarter": "3", "threshold": "7,0", "cutoff": "14/9/2020", "detail": "on"})
    assert cleaned == {"quarter": 3, "threshold": Decimal("7.0"), "cutoff": dt.date(2020, 9, 14), "detail": True}


@pytest.mark.parametrize(("raw", "field", "message"), [
    ({"cutoff": "14/9/2020", "quarter": "5"}, "quarter", "không phải là lựa chọn hợp lệ"),
    ({"cutoff": "14/9/2020", "threshold": "bảy"}, "threshold", "phải là một số"),
    ({"cutoff": "31/2/2020"}, "cutoff", "phải là một ngày"),
    ({}, "cutoff", "Chưa chọn “Ngày chốt”"),
])
def test_bad_options_name_the_field(quarterly, raw, field, message):
    with pytest.raises(ExportOptionError, match=message) as info:
        quarterly.clean_options(raw)
    assert info.value.field == field


def test_table_exporter_renders_xlsx(quarterly):
    # Bắc Giang PCI 2020 sub-index scores (VCCI, pcivietnam.vn).
    source = [("Chi phí thời gian", 8.68), ("Tính minh bạch", 5.39), ("Cạnh tranh bình đẳng", 7.89)]
    result = quarterly(source).render({"cutoff": "14/9/2020"}, quarter=3, threshold="6,5")
    assert result.filename == "muc-tieu-theo-quy.xlsx"
    assert result.content_type == officedoc.XLSX_CONTENT_TYPE
    table = read_sheet(result.data)
    assert table.name == "Quý 3"
    assert [r.values["Chỉ số"] for r in table.rows] == ["Chi phí thời gian", "Cạnh tranh bình đẳng"]


def test_document_exporter_and_builtins():
    @register
    class Report(DocumentExporter):
        identifier = "test-bao-cao"
        verbose_name = "Báo cáo kết quả PCI"

        def document(self, options):
            return example_report()

    try:
        result = get_exporter("test-bao-cao")().render()
        assert result.filename == "bao-cao-ket-qua-pci.docx"
        assert Document(io.BytesIO(result.data)).paragraphs
    finally:
        unregister("test-bao-cao")

    doc = get_exporter("van-ban")(example_report()).render()
    assert doc.filename.startswith("bao-cao-ket-qua-thuc-hien-ke-hoach") and doc.filename.endswith(".docx")
    sheet = Sheet("Bảng PCI 2020", ["Tỉnh"], [("Bắc Giang",)])
    table = get_exporter("bang")(sheet).render()
    assert table.filename == "bang-pci-2020.xlsx"
    assert read_sheet(table.data).rows[0].values == {"Tỉnh": "Bắc Giang"}


@pytest.mark.parametrize("module", ["numbering", "document", "metrics", "builder", "xlsx", "exporters",
                                    "examples"])
def test_docstring_examples_run(module):
    import importlib

    result = doctest.testmod(importlib.import_module(f"pciplan.officedoc.{module}"))
    assert result.failed == 0
