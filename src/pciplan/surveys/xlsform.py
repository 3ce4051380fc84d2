"""Instruments to and from XLSForm, so they also run in KoboToolbox or ODK.

Sheets written: ``survey`` (type, name, label, hint, required, relevant, and ``pciplan_segment``),
``choices``, ``settings`` (form_title, form_id, version) and two sheets that KoboToolbox and ODK ignore:
``pciplan_measures`` (which answers count towards which PCI indicator) and ``pciplan_info``
(description, source). Reading accepts a form made elsewhere as long as it uses the supported question
types; groups are flattened and metadata fields (start, end, today, deviceid …) are skipped.
"""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from pciplan.lib.errors import DomainError
from pciplan.lib.text import fold
from pciplan.officedoc.xlsx import check_unpacked_size

from .instrument import SELECT_KINDS, normalise_spec

META_TYPES = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "email",
              "audit", "calculate", "begin group", "end group", "begin_group", "end_group", "begin repeat",
              "end repeat", "start-geopoint", "background-audio"}
FORM_SHEETS = {"survey", "choices", "settings", "pciplan_measures", "pciplan_info"}
MEASURE_COLUMNS = ["key", "label", "question", "success", "universe_question", "universe_values", "indicator_code",
                   "indicator_aliases"]
_EQ = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}\s*=\s*'([^']*)'$")
_SELECTED = re.compile(r"^selected\(\s*\$\{([A-Za-z_][A-Za-z0-9_]*)\}\s*,\s*'([^']*)'\s*\)$")


def relevant_expression(cond: dict | None, question_types: dict[str, str]) -> str:
    """``${q} = 'v'`` (or ``selected(${q}, 'v')`` for a multiple choice) joined by ``or``."""
    if not cond:
        return ""
    name = cond["question"]
    if question_types.get(name) == "select_multiple":
        parts = [f"selected(${{{name}}}, '{v}')" for v in cond["values"]]
    else:
        parts = [f"${{{name}}} = '{v}'" for v in cond["values"]]
    return " or ".join(parts)


def parse_relevant(text: str, where: str) -> dict | None:
    text = (text or "").strip()
    if not text:
        return None
    question, values = None, []
    for part in re.split(r"\s+or\s+", text):
        part = part.strip()
        if part.startswith("(") and part.endswith(")") and not part.startswith("(selected"):
            part = part[1:-1].strip()
        m = _EQ.match(part) or _SELECTED.match(part)
        if not m or (question and m.group(1) != question):
            raise DomainError(f"{where}: điều kiện “{text}” chưa được hỗ trợ. Chỉ dùng dạng ${{câu}} = 'giá trị' hoặc "
                              "selected(${câu}, 'giá trị'), nối bằng or, trên cùng một câu hỏi.")
        question = m.group(1)
        values.append(m.group(2))
    return {"question": question, "values": values}


def export_xlsform(spec: dict) -> bytes:
    """The instrument as an XLSForm workbook (bytes)."""
    spec = normalise_spec(spec)
    types = {q["name"]: q["type"] for q in spec["questions"]}
    wb = Workbook()
    bold = Font(bold=True)
    survey = wb.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "hint", "required", "relevant", "pciplan_segment"])
    for q in spec["questions"]:
        kind = f"{q['type']} {q['list_name']}" if q["type"] in SELECT_KINDS else q["type"]
        survey.append([kind, q["name"], q["label"], q["hint"] or None, "yes" if q["required"] else None,
                       relevant_expression(q["relevant"], types) or None, q["segment"] or None])
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    written = set()
    for q in spec["questions"]:
        if q["list_name"] and q["list_name"] not in written:
            written.add(q["list_name"])
            for value, label in q["choices"]:
                choices.append([q["list_name"], value, label])
    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append([spec["title"], spec["code"], spec["version"]])
    measures = wb.create_sheet("pciplan_measures")
    measures.append(MEASURE_COLUMNS)
    for m in spec["measures"]:
        universe = m["universe"] or {"question": "", "values": []}
        measures.append([m["key"], m["label"], m["question"], " ".join(m["success"]), universe["question"] or None,
                         " ".join(universe["values"]) or None, m["indicator_code"] or None,
                         " ".join(m["indicator_aliases"]) or None])
    info = wb.create_sheet("pciplan_info")
    info.append(["key", "value"])
    info.append(["description", spec["description"]])
    info.append(["source", spec["source"]])
    for ws in wb.worksheets:
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
    survey.column_dimensions["A"].width = 28
    survey.column_dimensions["B"].width = 22
    survey.column_dimensions["C"].width = 70
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _sheet_rows(ws) -> tuple[list[str], list[tuple[int, dict]]]:
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        return [], []
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    out = []
    for number, row in enumerate(rows[1:], start=2):
        values = {header[i]: ("" if v is None else str(v).strip()) for i, v in enumerate(row) if i < len(header)}
        if any(values.values()):
            out.append((number, values))
    return header, out


def _label_column(header: list[str]) -> str | None:
    if "label" in header:
        return "label"
    return next((h for h in header if h.lower().startswith("label")), None)


def import_xlsform(data: bytes) -> dict:
    """Read an XLSForm workbook into a canonical instrument spec (nothing is written)."""
    if not data or not zipfile.is_zipfile(io.BytesIO(data)):
        raise DomainError("Tệp không phải là tệp Excel (.xlsx) hợp lệ. Hãy tải lên XLSForm dạng .xlsx.")
    if problem := check_unpacked_size(data):  # a "ZIP bomb"
        raise DomainError(problem)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a damaged file
        raise DomainError("Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx.")
    # Read-only workbooks parse a sheet's XML only when its rows are read: read the sheets used here now,
    # so a damaged sheet gets the same message instead of an error half-way through.
    sheets: dict[str, tuple[list[str], list[tuple[int, dict]]]] = {}
    for ws in wb.worksheets:
        key = ws.title.strip().lower()
        if key not in FORM_SHEETS:
            continue
        try:
            sheets[key] = _sheet_rows(ws)
        except Exception:  # openpyxl and the XML parser raise many kinds for a damaged sheet
            raise DomainError(f"Không đọc được trang tính “{ws.title}”: nội dung trang bị hỏng hoặc không đúng "
                              "định dạng .xlsx.")
    wb.close()
    if "survey" not in sheets:
        raise DomainError("Tệp XLSForm phải có trang tính “survey” (danh sách câu hỏi).")
    header, rows = sheets["survey"]
    label_col = _label_column(header)
    for col in ("type", "name"):
        if col not in header:
            raise DomainError(f"Trang “survey” thiếu cột “{col}”.")
    if label_col is None:
        raise DomainError("Trang “survey” thiếu cột “label”.")
    lists: dict[str, list[list[str]]] = {}
    if "choices" in sheets:
        c_header, c_rows = sheets["choices"]
        c_label = _label_column(c_header)
        if "list_name" not in c_header or "name" not in c_header or c_label is None:
            raise DomainError("Trang “choices” phải có các cột list_name, name, label.")
        for number, row in c_rows:
            if not row.get("list_name") or not row.get("name"):
                raise DomainError(f"Trang “choices”, dòng {number}: thiếu list_name hoặc name.")
            lists.setdefault(row["list_name"], []).append([row["name"], row.get(c_label) or row["name"]])
    questions = []
    for number, row in rows:
        where = f"Trang “survey”, dòng {number}"
        kind_text = re.sub(r"\s+", " ", row.get("type", "")).strip()
        if not kind_text or kind_text.lower() in META_TYPES:
            continue
        parts = kind_text.split(" ")
        kind = parts[0].lower()
        list_name = ""
        if kind in SELECT_KINDS:
            if len(parts) < 2 or parts[1] not in lists:
                raise DomainError(f"{where}: danh sách lựa chọn “{parts[1] if len(parts) > 1 else ''}” "
                                  "không có trong trang “choices”.")
            list_name = parts[1]
        elif len(parts) > 1 or kind not in ("integer", "decimal", "text", "note"):
            raise DomainError(f"{where}: loại câu hỏi “{kind_text}” chưa được hỗ trợ "
                              "(dùng select_one, select_multiple, integer, decimal, text, note).")
        required = row.get("required", "").lower() in ("yes", "true", "true()", "1", "có")
        questions.append({
            "name": row.get("name", ""), "type": kind, "label": row.get(label_col, ""), "hint": row.get("hint", ""),
            "required": required, "list_name": list_name, "choices": lists.get(list_name, []),
            "relevant": parse_relevant(row.get("relevant", ""), where),
            "segment": row.get("pciplan_segment", ""),
        })
    form_title, form_id, version = "", "", ""
    if "settings" in sheets:
        _s_header, s_rows = sheets["settings"]
        if s_rows:
            first = s_rows[0][1]
            form_title, form_id, version = first.get("form_title", ""), first.get("form_id", ""), first.get("version", "")
    measures = []
    if "pciplan_measures" in sheets:
        _m_header, m_rows = sheets["pciplan_measures"]
        for _number, row in m_rows:
            universe = None
            if row.get("universe_question"):
                universe = {"question": row["universe_question"], "values": row.get("universe_values", "").split()}
            measures.append({"key": row.get("key", ""), "label": row.get("label", ""), "question": row.get("question", ""),
                             "success": row.get("success", "").split(), "universe": universe,
                             "indicator_code": row.get("indicator_code", ""),
                             "indicator_aliases": row.get("indicator_aliases", "").split()})
    info = {}
    if "pciplan_info" in sheets:
        for _number, row in sheets["pciplan_info"][1]:
            info[row.get("key", "")] = row.get("value", "")
    # KoboToolbox forms often have no settings sheet: fall back on the title, then on a fixed code.
    code = re.sub(r"[^a-z0-9_-]+", "-", fold(form_id or form_title or "").replace(" ", "-")).strip("-_")
    return normalise_spec({"code": code or "bo-cau-hoi-nhap", "version": version or "1",
                           "title": form_title or form_id or "Bộ câu hỏi nhập từ XLSForm",
                           "description": info.get("description", ""), "source": info.get("source", ""),
                           "questions": questions, "measures": measures})
