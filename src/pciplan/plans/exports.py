"""Excel exports of the plan pages' tables ("Xuất Excel"), built from the same selectors as the pages."""

from __future__ import annotations

import datetime as dt

from pciplan.officedoc import Column, Sheet, write_xlsx

from . import selectors
from .models import Plan


def _names(orgs, plan) -> str:
    return "; ".join("Các phòng, đơn vị trực thuộc Sở" if o.pk == plan.issuer_id else o.name for o in orgs)


def plan_targets_xlsx(plan: Plan) -> bytes:
    rows = []
    for row in selectors.plan_targets(plan):
        t = row.target
        target_text = t.value_text or (f"{t.comparator} {t.value.normalize():f}{t.unit if t.unit == '%' else ''}"
                                       if t.value is not None else "")
        rows.append([t.get_kind_display(), t.label, float(row.weight) if row.weight is not None else None,
                     float(t.baseline_value) if t.baseline_value is not None else None, t.baseline_year, target_text,
                     float(t.increase) if t.increase is not None else None, _names(row.lead, plan),
                     _names(row.owners, plan), _names(row.supporters, plan), row.n_tasks])
    columns = [Column("Loại mục tiêu"), Column("Nội dung", width=42), Column("Trọng số (%)", "number", 1),
               Column("Giá trị năm gốc", "number", 2), Column("Năm gốc", "int"), Column("Mục tiêu"),
               Column("Cần tăng", "number", 2), Column("Đơn vị đầu mối", width=30), Column("Chủ trì", width=30),
               Column("Phối hợp", width=40), Column("Số nhiệm vụ", "int")]
    sheet = Sheet("Mục tiêu", columns, rows,
                  title=[f"Kế hoạch {plan.title}", f"{plan.reference} — {plan.issuer.name} — {plan.date_text}"],
                  note=["Điểm năm gốc: VCCI (pcivietnam.vn). Điểm chỉ số thành phần trên thang 1–10."])
    return write_xlsx(sheet, title=f"Mục tiêu — {plan.reference}")


def plan_tasks_xlsx(plan: Plan, today: dt.date) -> bytes:
    rows = []
    for view in selectors.plan_tasks(plan, today):
        task = view.task
        units = "; ".join("Các phòng, đơn vị trực thuộc Sở" if a.organisation.kind != "unit" else a.organisation.name
                          for a in view.units)
        rows.append([task.section, task.text, units, task.get_timing_display(), task.deadline, task.output,
                     task.get_status_display(), task.completed_on, view.outcome_label])
    columns = [Column("Mục"), Column("Nhiệm vụ", width=70), Column("Đơn vị thực hiện", width=30), Column("Loại thời hạn"),
               Column("Hạn", "date"), Column("Kết quả đầu ra", width=30), Column("Tình trạng"),
               Column("Ngày hoàn thành", "date"), Column("Đánh giá")]
    sheet = Sheet("Nhiệm vụ", columns, rows, title=[f"Nhiệm vụ — Kế hoạch {plan.title}", plan.reference],
                  note=[f"Đánh giá tiến độ tính đến ngày {today.day}/{today.month}/{today.year}."])
    return write_xlsx(sheet, title=f"Nhiệm vụ — {plan.reference}")
