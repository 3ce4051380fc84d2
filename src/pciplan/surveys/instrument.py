"""Instruments as plain data (a *spec*), checked before anything is written, and answers checked against it.

A spec is a dict::

    {"code": "pci-dich-vu-cong-nghe", "version": "2020.1", "title": "…", "description": "…", "source": "…",
     "questions": [{"name": "cn_su_dung", "type": "select_one", "label": "…", "hint": "", "required": True,
                    "list_name": "co_khong", "choices": [["co", "Có"], ["khong", "Không"]],
                    "relevant": None | {"question": "…", "values": ["co"]}, "segment": "" | "size" | …}],
     "measures": [{"key": "e761_priv", "label": "…", "question": "cn_nha_cung_cap", "success": ["tu_nhan"],
                   "universe": None | {"question": "cn_su_dung", "values": ["co"]},
                   "indicator_code": "e761_priv", "indicator_aliases": []}]}

:func:`normalise_spec` returns the canonical form (the one compared after an XLSForm round trip) or
raises :class:`~pciplan.lib.errors.DomainError` with a Vietnamese message naming the question.
"""

from __future__ import annotations

import json
import re
from importlib import resources

from pciplan.lib.errors import DomainError
from pciplan.lib.numbers import NumberFormatError, parse_decimal
from pciplan.lib.text import fold, nfc

KINDS = ("select_one", "select_multiple", "integer", "decimal", "text", "note")
SELECT_KINDS = ("select_one", "select_multiple")
SEGMENTS = {"": "—", "size": "Quy mô", "sector": "Ngành nghề", "district": "Huyện, thành phố",
            "ownership": "Loại hình sở hữu"}
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
CHOICE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
SHIPPED = ("dich-vu-cong-nghe.json", "dich-vu-ho-tro-doanh-nghiep.json")


def _text(value) -> str:
    return nfc(str(value)).strip() if value is not None else ""


def _condition(raw, where: str) -> dict | None:
    if not raw:
        return None
    if not isinstance(raw, dict) or not raw.get("question") or not raw.get("values"):
        raise DomainError(f"{where}: điều kiện phải có câu hỏi và ít nhất một giá trị.")
    return {"question": _text(raw["question"]), "values": [_text(v) for v in raw["values"]]}


def normalise_spec(spec: dict) -> dict:
    """Check an instrument spec and return it in canonical form."""
    if not isinstance(spec, dict):
        raise DomainError("Bộ câu hỏi không đúng định dạng.")
    code = _text(spec.get("code"))
    if not code or not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", code):
        raise DomainError("Mã bộ câu hỏi chỉ gồm chữ thường không dấu, chữ số, “-” và “_” (ví dụ pci-dich-vu-cong-nghe).",
                          field="code")
    title = _text(spec.get("title"))
    if not title:
        raise DomainError("Bộ câu hỏi cần có tên.", field="title")
    questions, names = [], {}
    for i, q in enumerate(spec.get("questions") or [], start=1):
        name = _text(q.get("name"))
        where = f"Câu hỏi {i} ({name or 'chưa có tên'})"
        if not NAME.fullmatch(name):
            raise DomainError(f"{where}: tên chỉ gồm chữ cái không dấu, chữ số và “_”, bắt đầu bằng chữ.")
        if name in names:
            raise DomainError(f"{where}: tên câu hỏi bị trùng.")
        kind = _text(q.get("type"))
        if kind not in KINDS:
            raise DomainError(f"{where}: loại câu hỏi “{kind}” không được hỗ trợ "
                              f"(chỉ dùng: {', '.join(KINDS)}).")
        label = _text(q.get("label"))
        if not label:
            raise DomainError(f"{where}: chưa có nội dung câu hỏi.")
        choices = []
        if kind in SELECT_KINDS:
            seen = set()
            for pair in q.get("choices") or []:
                value, text = _text(pair[0]), _text(pair[1])
                if not CHOICE_NAME.fullmatch(value) or " " in value:
                    raise DomainError(f"{where}: giá trị lựa chọn “{value}” không hợp lệ (không dấu, không khoảng trắng).")
                if value in seen:
                    raise DomainError(f"{where}: lựa chọn “{value}” bị trùng.")
                seen.add(value)
                choices.append([value, text or value])
            if not choices:
                raise DomainError(f"{where}: câu hỏi lựa chọn cần ít nhất một lựa chọn.")
        relevant = _condition(q.get("relevant"), where)
        if relevant:
            ref = names.get(relevant["question"])
            if ref is None:
                raise DomainError(f"{where}: điều kiện hỏi dựa vào câu “{relevant['question']}” chưa có ở phía trước.")
            _check_values(ref, relevant["values"], where)
        segment = _text(q.get("segment"))
        if segment not in SEGMENTS:
            raise DomainError(f"{where}: nhóm phân tích “{segment}” không hợp lệ.")
        if segment and kind != "select_one":
            raise DomainError(f"{where}: câu hỏi dùng để phân nhóm phải là câu chọn một.")
        out = {"name": name, "type": kind, "label": label, "hint": _text(q.get("hint")),
               "required": bool(q.get("required")) and kind != "note",
               "list_name": _text(q.get("list_name")) or (name if kind in SELECT_KINDS else ""),
               "choices": choices, "relevant": relevant, "segment": segment}
        if kind not in SELECT_KINDS:
            out["list_name"] = ""
        questions.append(out)
        names[name] = out
    if not questions:
        raise DomainError("Bộ câu hỏi chưa có câu hỏi nào.")
    lists: dict[str, list] = {}
    for q in questions:
        if q["list_name"]:
            if q["list_name"] in lists and lists[q["list_name"]] != q["choices"]:
                raise DomainError(f"Danh sách lựa chọn “{q['list_name']}” được dùng với hai nội dung khác nhau.")
            lists[q["list_name"]] = q["choices"]
    measures, keys = [], set()
    for i, m in enumerate(spec.get("measures") or [], start=1):
        key = _text(m.get("key"))
        where = f"Chỉ tiêu đo {i} ({key or 'chưa có mã'})"
        if not re.fullmatch(r"[A-Za-z0-9_-]+", key) or key in keys:
            raise DomainError(f"{where}: mã chỉ tiêu đo trống, sai hoặc bị trùng.")
        keys.add(key)
        q = names.get(_text(m.get("question")))
        if q is None:
            raise DomainError(f"{where}: câu hỏi “{m.get('question')}” không có trong bộ câu hỏi.")
        if q["type"] not in SELECT_KINDS:
            raise DomainError(f"{where}: chỉ tính tỷ lệ trên câu hỏi lựa chọn.")
        success = [_text(v) for v in m.get("success") or []]
        if not success:
            raise DomainError(f"{where}: cần nêu giá trị được tính là “có”.")
        _check_values(q, success, where)
        universe = _condition(m.get("universe"), where)
        if universe:
            ref = names.get(universe["question"])
            if ref is None:
                raise DomainError(f"{where}: câu hỏi “{universe['question']}” không có trong bộ câu hỏi.")
            _check_values(ref, universe["values"], where)
        measures.append({"key": key, "label": _text(m.get("label")) or q["label"], "question": q["name"],
                         "success": success, "universe": universe,
                         "indicator_code": _text(m.get("indicator_code")),
                         "indicator_aliases": [_text(a) for a in m.get("indicator_aliases") or [] if _text(a)]})
    return {"code": code, "version": _text(spec.get("version")) or "1", "title": title,
            "description": _text(spec.get("description")), "source": _text(spec.get("source")),
            "questions": questions, "measures": measures}


def _check_values(question: dict, values: list[str], where: str) -> None:
    allowed = {v for v, _ in question["choices"]}
    if question["type"] not in SELECT_KINDS:
        raise DomainError(f"{where}: điều kiện chỉ dựa vào câu hỏi lựa chọn (câu “{question['name']}” không phải).")
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise DomainError(f"{where}: giá trị {', '.join(unknown)} không có trong lựa chọn của câu “{question['name']}”.")


def shipped_specs() -> list[dict]:
    """The instruments that ship with the product (``surveys/data/instruments``), canonical."""
    folder = resources.files("pciplan.surveys.data").joinpath("instruments")
    return [normalise_spec(json.loads(folder.joinpath(name).read_text(encoding="utf-8"))) for name in SHIPPED]


# --------------------------------------------------------------------------------------------- answers
def is_relevant(question: dict, answers: dict) -> bool:
    cond = question.get("relevant")
    if not cond:
        return True
    given = answers.get(cond["question"])
    values = given if isinstance(given, list) else [given]
    return any(v in cond["values"] for v in values if v not in (None, ""))


def match_choice(question: dict, raw) -> str | None:
    """A choice value from its value or its label, ignoring case and diacritics (``None`` if no match)."""
    text = _text(raw)
    if not text:
        return None
    for value, _label in question["choices"]:
        if text == value:
            return value
    key = fold(text)
    for value, label in question["choices"]:
        if key in (fold(value), fold(label)):
            return value
    return None


def _select_multiple(question: dict, raw) -> tuple[list[str] | None, str | None]:
    """Values from a list, a space-separated value list (XLSForm, Kobo) or comma-separated labels (Google)."""
    if isinstance(raw, list | tuple):
        parts = [_text(p) for p in raw if _text(p)]
    else:
        text = _text(raw)
        if not text:
            return [], None
        values = {v for v, _ in question["choices"]}
        if all(p in values for p in text.split()):
            parts = text.split()
        else:
            # Google Forms joins labels with ", " and labels may contain commas: read label after label,
            # longest first, each followed by the end or a separator.
            rest = fold(text).strip()
            labels = sorted(((fold(label), value) for value, label in question["choices"]), key=lambda c: -len(c[0]))
            parts = []
            while rest:
                for folded, value in labels:
                    if rest.startswith(folded) and (len(rest) == len(folded) or rest[len(folded)] in ",;"):
                        parts.append(value)
                        rest = rest[len(folded):].lstrip(",; ")
                        break
                else:
                    return None, f"“{text}” có phần không thuộc danh sách lựa chọn"
    out = []
    for p in parts:
        value = match_choice(question, p)
        if value is None:
            return None, f"“{p}” không thuộc danh sách lựa chọn"
        if value not in out:
            out.append(value)
    order = [v for v, _ in question["choices"]]
    return sorted(out, key=order.index), None


def clean_answers(spec: dict, raw: dict) -> tuple[dict, dict[str, str]]:
    """Check one firm's answers: ``(clean answers, {question name: Vietnamese error})``.

    Values may be choice values or labels; answers to questions that do not apply (their condition is not
    met) are dropped; required questions that apply must be answered.
    """
    clean: dict = {}
    errors: dict[str, str] = {}
    for q in spec["questions"]:
        if q["type"] == "note":
            continue
        if not is_relevant(q, clean):
            continue
        value = raw.get(q["name"])
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", []):
            if q["required"]:
                errors[q["name"]] = "Chưa trả lời câu hỏi bắt buộc này."
            continue
        if q["type"] == "select_one":
            choice = match_choice(q, value)
            if choice is None:
                allowed = ", ".join(lbl for _, lbl in q["choices"])
                errors[q["name"]] = f"“{value}” không thuộc danh sách lựa chọn ({allowed})."
            else:
                clean[q["name"]] = choice
        elif q["type"] == "select_multiple":
            values, error = _select_multiple(q, value)
            if error:
                errors[q["name"]] = error + "."
            elif values:
                clean[q["name"]] = values
            elif q["required"]:
                errors[q["name"]] = "Chưa trả lời câu hỏi bắt buộc này."
        elif q["type"] in ("integer", "decimal"):
            try:
                number = parse_decimal(value)
            except NumberFormatError as exc:
                errors[q["name"]] = f"{exc}."
                continue
            if number.adjusted() >= 15:  # 309 digits would even be a float infinity, which JSON cannot store
                errors[q["name"]] = "Số quá lớn (tối đa 15 chữ số phần nguyên)."
                continue
            if q["type"] == "integer":
                if number != number.to_integral():
                    errors[q["name"]] = "Phải là số nguyên."
                    continue
                clean[q["name"]] = int(number)
            else:
                clean[q["name"]] = float(number)
        else:
            clean[q["name"]] = _text(value)[:2000]
    return clean, errors


def code_answer(measure: dict, question_type: str, answer) -> float:
    """1 if the answer counts as "yes" for the measure, 0 if answered otherwise, NaN if not answered."""
    if answer in (None, "", []):
        return float("nan")
    values = answer if isinstance(answer, list) else [answer]
    if question_type == "select_multiple":
        return 1.0 if any(v in measure["success"] for v in values) else 0.0
    return 1.0 if values[0] in measure["success"] else 0.0


def in_universe(measure: dict, answers: dict) -> bool:
    cond = measure.get("universe")
    if not cond:
        return True
    given = answers.get(cond["question"])
    values = given if isinstance(given, list) else [given]
    return any(v in cond["values"] for v in values if v not in (None, ""))
