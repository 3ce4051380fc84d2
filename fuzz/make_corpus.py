"""Write the templates (``fuzz/templates``) and the seed corpora (``fuzz/corpus/<harness>/seed-*``).

    .venv/bin/python fuzz/make_corpus.py [--templates]

Seeds are small real inputs: a short excerpt of the reference plan and of the synthetic plans in
``plandoc/tests/fixtures``, a tiny DOCX and PDF of a plan, results tables in the shapes the engine tests
use, the survey fixtures (trimmed), an XLSForm of a shipped question set, and the offline report
workbook. Each seed is encoded for its harness's input layout (``_common.encode``). Regression inputs
(``crash-*``) are kept by hand and never rewritten here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from pathlib import Path

import _common
from _common import encode

ROOT = _common.FUZZ_DIR.parent
PLANDOC_FIXTURES = ROOT / "src/pciplan/plandoc/tests/fixtures"
SURVEY_FIXTURES = ROOT / "src/pciplan/surveys/tests/fixtures"


def _excerpt(path: Path, start: int, lines: int) -> str:
    return "\n".join(path.read_text(encoding="utf-8").split("\n")[start:start + lines]) + "\n"


def _docx(paragraphs: list[str], table: list[list[str]]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.add_paragraph("GIÁM ĐỐC")
    out = io.BytesIO()
    document.core_properties.created = dt.datetime(2020, 8, 1)
    document.core_properties.modified = dt.datetime(2020, 8, 1)
    document.save(out)
    return _common.write_members(_common.read_members(out.getvalue()))


def _pdf(lines: list[str]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"pdf.fonttype": 42, "pdf.compression": 9}):
        fig = plt.figure(figsize=(8.27, 11.69))
        for i, line in enumerate(lines):
            fig.text(0.05, 0.95 - i * 0.03, line, fontsize=9)
        out = io.BytesIO()
        fig.savefig(out, format="pdf", metadata={"CreationDate": None})
        plt.close(fig)
    return out.getvalue()


def _xlsx(rows: list[list], title: str = "Sheet") -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.properties.created = wb.properties.modified = dt.datetime(2020, 1, 1)
    out = io.BytesIO()
    wb.save(out)
    return _common.write_members(_common.read_members(out.getvalue()))


def _csv(rows: list[list], sep: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\n").writerows(rows)
    return out.getvalue()


PLAN_LINES = [
    "UBND TỈNH LAM SƠN", "SỞ TÀI CHÍNH", "Số: 12/KH-STC", "Lam Sơn, ngày 10 tháng 3 năm 2023", "KẾ HOẠCH",
    "Nâng cao Chỉ số PCI năm 2023", "I. MỤC TIÊU",
    "1. Chỉ số Chi phí không chính thức đạt từ 6,8 điểm trở lên.",
    "2. Văn phòng Sở: hoàn thành trước ngày 15/8/2023.",
]
RESULT_HEADERS = ["Tỉnh/Thành phố", "Năm", "Gia nhập thị trường", "Tiếp cận đất đai", "Tính minh bạch",
                  "Chi phí thời gian", "Chi phí không chính thức", "Cạnh tranh bình đẳng", "Tính năng động",
                  "Hỗ trợ doanh nghiệp", "Đào tạo lao động", "Thiết chế pháp lý", "PCI 2016", "Xếp hạng", "Nhóm"]
RESULT_ROWS = [
    ["Bắc Giang", 2016, 8.12, 5.81, 6.04, 6.73, 5.06, 5.34, 4.6, 5.79, 6.45, 5.16, 58.59, 41, "Khá"],
    ["TP. Hồ Chí Minh", 2016, 7.61, 5.09, 6.35, 6.62, 4.66, 5.29, 5.02, 6.69, 7.09, 5.58, 62.72, 8, "Tốt"],
    ["Khánh Hòa", 2016, "7,35", "5,7", "6,01", "6,66", "4,75", "5,01", "4,5", "5,66", "6,55", "5,53", "58,36", 44, "Khá"],
]


def templates() -> dict[str, bytes]:
    reference = PLANDOC_FIXTURES / "ke-hoach-pci-2020-so-khcn-bac-giang.txt"
    table_text = (PLANDOC_FIXTURES / "synthetic-03-bang-phan-cong-2023.txt").read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(table_text) if line.startswith("TT\tChỉ số"))
    end = next(i for i in range(start, len(table_text)) if not table_text[i].strip())
    out = {
        "plan.docx": _docx(_excerpt(reference, 0, 9).split("\n")
                           + ["a) Đơn vị đầu mối - Sở Kế hoạch và Đầu tư: nâng điểm chỉ số thành phần “Chi phí gia "
                              "nhập thị trường” đạt từ 7,61 điểm trở lên (tăng 0,83 điểm so với năm 2019)."],
                           [line.split("\t") for line in table_text[start:end]][:4]),
        "results.xlsx": _xlsx([RESULT_HEADERS, *RESULT_ROWS], "PCI 2016"),
        "answers.xlsx": (SURVEY_FIXTURES / "kobo_dich_vu_cong_nghe.xlsx").read_bytes(),
    }
    from pciplan.officedoc.xlsx import Column, Sheet, write_xlsx

    out["table.xlsx"] = _common.write_members(_common.read_members(write_xlsx([
        Sheet("Danh mục", [Column("Mã"), Column("Tên"), Column("Điểm", "number"), Column("Ngày", "date")],
              [("A1", "Tính minh bạch", 6.35, dt.date(2020, 8, 15)), ("A2", "Chi phí thời gian", 7.61, None)],
              title="Danh mục chỉ số", note="Nguồn: VCCI."),
        Sheet("Nhiệm vụ", ["STT", "Nhiệm vụ", "Tiến độ (%)"], [(1, "Niêm yết thủ tục", 50)]),
    ], title="Bảng")))
    from pciplan.surveys.instrument import shipped_specs
    from pciplan.surveys.xlsform import export_xlsform

    out["xlsform.xlsx"] = _common.write_members(_common.read_members(export_xlsform(shipped_specs()[0])))
    import fuzz_report_offline

    out["report.xlsx"] = _common.write_members(_common.read_members(fuzz_report_offline.workbook()))
    return out


def seeds(t: dict[str, bytes]) -> dict[str, dict[str, bytes]]:
    reference = PLANDOC_FIXTURES / "ke-hoach-pci-2020-so-khcn-bac-giang.txt"
    plan_text = _excerpt(reference, 0, 9) + _excerpt(reference, 40, 12)
    synthetic = [_excerpt(PLANDOC_FIXTURES / name, 0, 40) for name in
                 ("synthetic-03-bang-phan-cong-2023.txt", "synthetic-05-ket-qua-va-top5-2024.txt",
                  "heldout/synthetic-h2-ubnd-huyen-ddci-2023.txt")]
    paragraph = ("<w:p><w:r><w:t>Chỉ số Tính minh bạch đạt từ 7,0 điểm trở lên; hoàn thành trước ngày "
                 "15/8/2020.</w:t></w:r></w:p>").encode()
    document_xml = dict(_common.read_members(t["plan.docx"]))["word/document.xml"]
    body = document_xml.index(b"<w:body>") + len(b"<w:body>")
    plandoc = {
        "text-reference-excerpt": encode(plan_text.encode(), (2, 0, 2)),
        "raw-reference-excerpt.txt": encode(plan_text.encode(), (0, 0, 2), (2, 0, 5)),
        "raw-utf16.txt": encode(("\ufeff" + plan_text[:600]).encode("utf-16-le"), (0, 0, 2), (2, 0, 5)),
        "raw-plan.docx": encode(t["plan.docx"], (0, 0, 2), (0, 0, 5)),
        "raw-plan.pdf": encode(_pdf(PLAN_LINES), (0, 0, 2), (1, 0, 5)),
        "raw-old-word.doc": encode(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, (0, 0, 2), (3, 0, 5)),
        "docx-unchanged": _zip_seed(t["plan.docx"], "word/document.xml", b"", prefix=[(1, 0, 2)]),
        "docx-paragraph": _zip_seed(t["plan.docx"], "word/document.xml", paragraph, prefix=[(1, 0, 2)], at=body),
    }
    for i, text in enumerate(synthetic, start=1):
        plandoc[f"text-synthetic-{i}"] = encode(text.encode(), (2, 0, 2))

    csv_vi = _csv([RESULT_HEADERS, *RESULT_ROWS]).encode()
    csv_en = _csv([["Province", "Year", "PCI", "Rank", "Group"], ["Bac Giang", "2020", "64,47", "30", "Khá"],
                   ["Ha Noi", "2020", "66,9", "9", "Tốt"]], sep=";").encode()
    csv_totals = "Tinh\tPCI\tXep hang\nBac Giang\t63.98\t27\nKhánh Hoà\t63.98\t27\n".encode("cp1258")
    results = {}
    for function in range(4):
        results[f"csv-vi-f{function}"] = encode(csv_vi, (0, 0, 1), (function, 0, 3), (0, 0, 3), (0, 0, 5))
        results[f"csv-en-f{function}"] = encode(csv_en, (0, 0, 1), (function, 0, 3), (3, 0, 3), (2, 0, 5))
        results[f"xlsx-raw-f{function}"] = encode(t["results.xlsx"], (0, 0, 1), (function, 0, 3), (1, 0, 3),
                                                  (1, 0, 5))
    results["csv-totals-cp1258"] = encode(csv_totals, (0, 0, 1), (0, 0, 3), (2, 0, 3), (2, 0, 5))
    results["xlsx-sheet-unchanged"] = _zip_seed(t["results.xlsx"], "xl/worksheets/sheet1.xml", b"",
                                                prefix=[(1, 0, 1), (0, 0, 3), (1, 0, 3), (0, 0, 5)])

    xlsx = {
        "raw-table": encode(t["table.xlsx"], (0, 0, 1), (0, 0, 6), (0, 0, 3), (0, 0, 5), (0, 0, 1)),
        "raw-table-headers": encode(t["table.xlsx"], (0, 0, 1), (4, 0, 6), (2, 0, 3), (0, 0, 5), (1, 0, 1)),
        "raw-second-sheet": encode(t["table.xlsx"], (0, 0, 1), (6, 0, 6), (0, 0, 3), (1, 0, 5), (0, 0, 1)),
        "raw-results": encode(t["results.xlsx"], (0, 0, 1), (0, 0, 6), (0, 0, 3), (0, 0, 5), (0, 0, 1)),
        "sheet-unchanged": _zip_seed(t["table.xlsx"], "xl/worksheets/sheet1.xml", b"",
                                     prefix=[(1, 0, 1), (0, 0, 6), (1, 0, 3), (0, 0, 5), (0, 0, 1)]),
    }

    google = (SURVEY_FIXTURES / "google_forms_dich_vu_cong_nghe.csv").read_text(encoding="utf-8").split("\n")
    surveys = {
        "answers-google.csv": encode("\n".join(google[:6]).encode(), (0, 0, 3), (0, 0, 4), (0, 0, 2)),
        "answers-kobo.xlsx": encode(t["answers.xlsx"], (0, 0, 3), (1, 0, 4), (0, 0, 2)),
        "answers-weights.csv": encode("Dấu thời gian,trọng số,Doanh nghiệp có bao nhiêu lao động?\n"
                                      "02/10/2020 14:00:00,\"1,5\",Dưới 10 người\n31/02/2020,0,x\n".encode(),
                                      (0, 0, 3), (0, 0, 4), (1, 0, 2)),
        "answers-numbers.csv": encode("so_lao_dong,doanh_thu,ghi_chu\n12,\"1.234,5\",Có\n250,7.5,\n3,,x\n".encode(),
                                      (0, 0, 3), (0, 0, 4), (2, 0, 2)),
        "form-xlsform.xlsx": encode(t["xlsform.xlsx"], (2, 0, 3)),
        "answers-sheet-unchanged": _zip_seed(t["answers.xlsx"], "xl/worksheets/sheet1.xml", b"",
                                             prefix=[(1, 0, 3), (1, 0, 4), (0, 0, 2)]),
        "form-survey-unchanged": _zip_seed(t["xlsform.xlsx"], "xl/worksheets/sheet1.xml", b"", prefix=[(3, 0, 3)]),
    }

    texts = {
        0: ["7,61", "1.234,5", " 45 % ", "-0,03", "7.610", "1.234.567"],
        1: ["15/8/2020", "05-02-2025", "2020-08-15", "31/02/2020"],
        2: ["15/8/2020", "8/2020", "2020", "ngày 3 tháng 8"],
        3: ["15/8/2020", "9/2020", "", "hàng quý"],
        4: ["chỉ số thành phần “Chi phí gia nhập thị trường”|Sở KH&ĐT", "Tinh minh bạch|Sở Kế hoạch và Đầu tư",
            "Trưởng phòng Quản lý Công nghệ và TTCN|Phòng Quản lý Công nghệ", "RAT TOT|Văn phòng UBND tỉnh"],
    }
    text = {f"f{function}-{i}": encode(value.encode(), (function, 0, 4))
            for function, values in texts.items() for i, value in enumerate(values)}

    report = {
        "raw-workbook": encode(t["report.xlsx"], (0, 0, 1)),
        "tasks-unchanged": _zip_seed(t["report.xlsx"], "xl/worksheets/sheet1.xml", b"", prefix=[(1, 0, 1)]),
        "general-unchanged": _zip_seed(t["report.xlsx"], "xl/worksheets/sheet3.xml", b"", prefix=[(1, 0, 1)]),
    }
    return {"plandoc": plandoc, "results": results, "xlsx": xlsx, "surveys": surveys, "text": text,
            "report_offline": report}


def _zip_seed(template: bytes, member: str, payload: bytes, *, prefix: list[tuple[int, int, int]],
              at: int = 0, cut: int = 0) -> bytes:
    """A seed for ``mutate_zip``: splice ``payload`` into ``member`` of ``template`` at ``at``."""
    members = _common.read_members(template)
    index = next(i for i, (name, _) in enumerate(members) if name == member)
    return encode(payload, *prefix, (index, 0, len(members) - 1), (0, 0, 7), (at, 0, len(members[index][1])),
                  (cut, 0, 255))


def _fixed_dates(data: bytes) -> bytes:
    """The template with the creation/modification times of ``docProps/core.xml`` fixed, so that it is the
    same every time it is made."""
    members = []
    for name, content in _common.read_members(data):
        if name == "docProps/core.xml":
            content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2020-01-01T00:00:00Z", content)
        members.append((name, content))
    return _common.write_members(members)


def main(argv: list[str]) -> int:
    """Seeds are rewritten every time; templates only with ``--templates`` (the regression inputs that
    mutate a template depend on its bytes)."""
    _common.setup_django()
    _common.TEMPLATE_DIR.mkdir(exist_ok=True)
    made = {name: _fixed_dates(data) for name, data in templates().items()}
    for name, data in made.items():
        path = _common.TEMPLATE_DIR / name
        if "--templates" in argv or not path.exists():
            path.write_bytes(data)
        made[name] = path.read_bytes()
    for harness, files in seeds(made).items():
        folder = _common.CORPUS_DIR / harness
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("seed-*"):
            old.unlink()
        for name, data in files.items():
            (folder / f"seed-{name}").write_bytes(data)
    total = sum(p.stat().st_size for p in _common.FUZZ_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    print(f"templates: {len(made)}, corpus: {sum(1 for _ in _common.CORPUS_DIR.rglob('*') if _.is_file())} files; "
          f"fuzz/ is {total / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
