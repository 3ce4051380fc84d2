"""``pciplan import-plan FILE [--json] [--spans]``: read a plan and print its draft."""

from __future__ import annotations

import argparse
import json
import sys

from pciplan.lib.dates import format_date
from pciplan.lib.numbers import format_number

from . import PlanDocError, PlanDraft, read_plan
from .catalog import SUBINDEX_NAMES

ROLE_VI = {"lead": "đầu mối", "owner": "chủ trì", "supporting": "phối hợp"}
QUALIFIER_VI = {"before": "trước ngày", "by_end_of_month": "trong tháng, hạn cuối", "on": "vào ngày"}
RECURRENCE_VI = {"monthly": "hằng tháng", "quarterly": "hằng quý", "half_yearly": "6 tháng một lần",
                 "yearly": "hằng năm"}


def draft_json(draft: PlanDraft, spans: bool = False) -> dict:
    """The JSON ``--json`` prints."""
    return draft.to_dict(spans=spans)


def _n(value) -> str:
    return format_number(value, 2, strip=True)


def summary(draft: PlanDraft) -> str:
    """A readable Vietnamese summary of a draft."""
    d = draft.document
    out = ["KẾ HOẠCH" + (f": {d.title}" if d.title else "")]
    out.append(f"Cơ quan ban hành: {d.issuer or '—'}")
    number = f"{d.number or '…'}/{d.symbol}" if d.symbol else "—"
    out.append(f"Số: {number}    Ngày: {d.date or '—'}    Năm kế hoạch: {d.year or '—'}")
    if d.implements:
        out.append(f"Thực hiện: {d.implements.text}")
    out.append(f"Người ký: {d.signer or '—'}")
    out.append("")
    out.append(f"Mục tiêu chung ({len(draft.overall_targets)}):")
    for t in draft.overall_targets:
        if t.kind == "rank" and t.rank:
            text = f"xếp hạng {t.operator or ''} {t.rank}" + (f"/{t.of}" if t.of else "")
        elif t.kind == "rank":
            text = f"tăng {t.increase:g} bậc {t.operator or ''}" + (f" so với năm {t.baseline_year}" if t.baseline_year else "")
        elif t.kind == "score":
            text = f"tổng điểm {t.operator or ''} {_n(t.score)}" if t.score is not None else f"tăng {_n(t.increase)} điểm"
        else:
            text = f"nhóm “{t.group}”"
        out.append(f"  - {' '.join(text.split())}")
    out.append(f"Mục tiêu chỉ số thành phần ({len(draft.subindex_targets)}):")
    for t in draft.subindex_targets:
        parts = [f"{SUBINDEX_NAMES.get(t.subindex_code, t.subindex_code)}:"]
        if t.target_score is not None:
            parts.append(f"{t.operator} {_n(t.target_score)} điểm")
        if t.increase is not None:
            parts.append(f"(tăng {_n(t.increase)} điểm" + (f" so với năm {t.baseline_year})" if t.baseline_year else ")"))
        if t.target_rank:
            parts.append(f"hạng {t.rank_operator or ''} {t.target_rank}")
        if t.lead_unit:
            parts.append(f"— đầu mối: {t.lead_unit}")
        out.append("  - " + " ".join(parts))
    out.append(f"Chỉ tiêu ({len(draft.indicator_targets)}):")
    for t in draft.indicator_targets:
        owners = f" — chủ trì: {', '.join(t.owner_units)}" if t.owner_units else ""
        out.append(f"  - {t.text}: {t.operator} {_n(t.value)}{t.unit or ''}{owners}")
    out.append(f"Thời hạn ({len(draft.deadlines)}):")
    for dl in draft.deadlines:
        recur = f", {RECURRENCE_VI[dl.recurrence]} (lần đầu)" if dl.recurrence else ""
        out.append(f"  - {format_date(dl.date)} ({QUALIFIER_VI.get(dl.qualifier, dl.qualifier)}{recur}): {dl.text}")
    out.append(f"Nhiệm vụ: {len(draft.tasks)}; báo cáo định kỳ: {len(draft.reporting_duties)}; "
               f"kết quả các năm trước (mốc so sánh): {len(draft.baselines)}.")
    for w in draft.warnings:
        out.append(f"Lưu ý: {w}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="pciplan import-plan",
        description="Đọc một kế hoạch (DOCX, PDF có lớp chữ hoặc văn bản) và in bản nháp các mục tiêu, nhiệm vụ, thời hạn.",
    )
    parser.add_argument("file", help="tệp kế hoạch (.docx, .pdf, .txt)")
    parser.add_argument("--json", action="store_true", help="in bản nháp dạng JSON")
    parser.add_argument("--spans", action="store_true", help="kèm vị trí (start, end) của từng trường và văn bản đã chuẩn hóa")
    args = parser.parse_args(argv)
    try:
        draft = read_plan(args.file)
    except PlanDocError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    try:
        if args.json:
            json.dump(draft_json(draft, spans=args.spans), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            print(summary(draft))
        sys.stdout.flush()
    except BrokenPipeError:  # output piped into `head`
        return 0
    return 0
