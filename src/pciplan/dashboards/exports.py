"""Excel exports of the dashboards ("Xuất Excel"), built from the same selectors as the pages."""

from __future__ import annotations

import datetime as dt

from pciplan.lib.dates import format_date
from pciplan.officedoc import Column, Sheet, write_xlsx
from pciplan.orgs.models import Organisation

from .evidence import TargetRow
from .selectors import ProvinceRollup
from .status import RULE_STEPS
from .trends import Trends

GROUP_LABELS = {"overall": "Mục tiêu chung", "subindex": "Chỉ số thành phần", "indicator": "Chỉ tiêu"}


def _names(orgs, issuer_id=None) -> str:
    return "; ".join("Các phòng, đơn vị trực thuộc" if o.pk == issuer_id and o.kind != Organisation.Kind.UNIT
                     else o.name for o in orgs)


def _rule_note(today: dt.date) -> list[str]:
    return [f"Tình trạng tính đến ngày {format_date(today)}. Cách xác định:"] + [
        f"{i}. {step}" for i, step in enumerate(RULE_STEPS, start=1)]


def targets_xlsx(plan, rows: list[TargetRow], today: dt.date) -> bytes:
    columns = [Column("Nhóm"), Column("Mục tiêu", width=40), Column("Mức mục tiêu"), Column("Tình trạng"),
               Column("Căn cứ"), Column("Số liệu", width=34), Column("Vì sao", width=70),
               Column("Đơn vị đầu mối", width=28), Column("Chủ trì", width=28), Column("Số nhiệm vụ", "int"),
               Column("Có thời hạn", "int"), Column("Quá hạn", "int")]
    data = [[GROUP_LABELS[r.group], r.target.label, r.target.value_display, r.status.label, r.status.basis_label,
             r.status.summary, "\n".join(r.status.steps), _names(r.lead, plan.issuer_id),
             _names(r.owners, plan.issuer_id), r.n_tasks, r.work.dated, r.work.overdue] for r in rows]
    sheet = Sheet("Tình trạng mục tiêu", columns, data,
                  title=[f"Tình trạng mục tiêu — Kế hoạch {plan.title}",
                         f"{plan.reference} — {plan.issuer.name} — tính đến ngày {format_date(today)}"],
                  note=_rule_note(today), landscape=True)
    return write_xlsx(sheet, title=f"Tình trạng mục tiêu — {plan.reference}")


def province_xlsx(rollup: ProvinceRollup) -> bytes:
    by_sub = []
    for sub in rollup.subindices:
        leads = "; ".join(o.name for o in sub.leads)
        for r in sub.provincial:
            by_sub.append([sub.subindex.name, leads, r.target.plan.issuer.name, r.target.label, r.target.value_display,
                           r.status.label, r.status.summary, r.n_tasks, r.work.dated, r.work.overdue])
        for dept in sub.departments:
            if not dept.rows:
                by_sub.append([sub.subindex.name, leads, dept.agency.name, "(nhiệm vụ, không đặt mục tiêu riêng)", "",
                               "", "", dept.tasks.total, dept.tasks.dated, dept.tasks.overdue])
            for r in dept.rows:
                by_sub.append([sub.subindex.name, leads, dept.agency.name, r.target.label, r.target.value_display,
                               r.status.label, r.status.summary, dept.tasks.total, dept.tasks.dated,
                               dept.tasks.overdue])
    sheet1 = Sheet("Theo chỉ số thành phần",
                   [Column("Chỉ số thành phần", width=30), Column("Đơn vị đầu mối", width=32),
                    Column("Cơ quan", width=32), Column("Mục tiêu", width=40), Column("Mức mục tiêu"),
                    Column("Tình trạng"), Column("Số liệu", width=30), Column("Nhiệm vụ", "int"),
                    Column("Có thời hạn", "int"), Column("Quá hạn", "int")],
                   by_sub, title=[f"Kế hoạch nâng cao PCI năm {rollup.year} — toàn tỉnh",
                                  f"{rollup.province.name if rollup.province else ''} — tính đến ngày "
                                  f"{format_date(rollup.today)}"], note=_rule_note(rollup.today), landscape=True)
    comparison = []
    for d in rollup.departments:
        counts = {label: n for _tone, label, n in d.rollup.chips()}
        comparison.append([d.agency.name, d.plan.reference, len(d.targets), counts.get("Có nguy cơ", 0)
                           + counts.get("Chậm", 0) + counts.get("Chưa đạt", 0), d.tasks.total, d.tasks.dated,
                           d.tasks.done_on_time, d.tasks.done_late, d.tasks.overdue, d.tasks.completion,
                           d.reports.due, d.reports.on_time, d.reports.late, d.reports.missing, d.reports.punctuality])
    sheet2 = Sheet("So sánh các cơ quan",
                   [Column("Cơ quan", width=34), Column("Kế hoạch"), Column("Mục tiêu", "int"),
                    Column("Mục tiêu có nguy cơ, chậm, chưa đạt", "int"), Column("Nhiệm vụ", "int"),
                    Column("Có thời hạn", "int"), Column("HT đúng hạn", "int"), Column("HT quá hạn", "int"),
                    Column("Quá hạn chưa HT", "int"), Column("Tỷ lệ hoàn thành (%)", "percent", 1),
                    Column("Báo cáo đến hạn", "int"), Column("Gửi đúng hạn", "int"), Column("Gửi muộn", "int"),
                    Column("Chưa gửi", "int"), Column("Đúng hạn (%)", "percent", 1)],
                   comparison, title=[f"So sánh các cơ quan — năm {rollup.year}",
                                      f"Tính đến ngày {format_date(rollup.today)}"],
                   note=["Tỷ lệ hoàn thành: nhiệm vụ có thời hạn đã hoàn thành (đúng hạn hoặc quá hạn) trên tổng số "
                         "nhiệm vụ có thời hạn. Đúng hạn: báo cáo gửi đúng hạn trên số báo cáo đã đến hạn của các đơn "
                         "vị phải báo cáo."], landscape=True)
    return write_xlsx([sheet1, sheet2], title=f"PCI {rollup.year} — toàn tỉnh")


def trends_xlsx(trends: Trends) -> bytes:
    name = trends.province.name if trends.province else ""
    years = Sheet("Qua các năm", [Column("Năm", "int"), Column("Tổng điểm PCI", "number", 2), Column("Thứ hạng", "int"),
                                  Column("Số tỉnh xếp hạng", "int"), Column("Nhóm"), Column("Ghi chú"),
                                  Column("Nguồn", width=50)],
                  [[p.year, p.total, p.rank, p.of, p.group, p.note, p.source] for p in trends.points],
                  title=[f"PCI của {name} qua các năm", f"Các năm đã công bố tính đến ngày {format_date(trends.today)}"],
                  note=["Nguồn: VCCI (pcivietnam.vn); điểm lưu đúng độ chính xác đã công bố."])
    peer_rows = []
    for peer in trends.peers:
        for sub in trends.subindices:
            cell = peer.cells.get(sub.code)
            if cell is None:
                continue
            peer_rows.append([peer.year, sub.name, cell.ours, cell.median, cell.best, peer.best_name, cell.gap])
    peers = Sheet("So với cả nước", [Column("Năm", "int"), Column("Chỉ số thành phần", width=34),
                                     Column(name, "number", 2), Column("Trung vị cả nước", "number", 2),
                                     Column("Tỉnh đứng đầu", "number", 2), Column("Tỉnh đứng đầu (tên)"),
                                     Column("Chênh so với trung vị", "number", 2)],
                  peer_rows, title=[f"Chỉ số thành phần của {name} so với cả nước",
                                    "Các năm có điểm chỉ số thành phần của mọi tỉnh trong dữ liệu"],
                  note=["Tỉnh đứng đầu: tỉnh xếp hạng 1 năm đó. Nguồn: VCCI."])
    change_rows = [[c.subindex.name, c.weight, c.before, c.after, c.delta, c.points] for c in trends.changes]
    label = f"{trends.change_years[0]} → {trends.change_years[1]}" if trends.change_years else ""
    changes = Sheet("Thay đổi so với năm trước", [Column("Chỉ số thành phần", width=34), Column("Trọng số (%)", "number", 1),
                                                 Column("Năm trước", "number", 2), Column("Năm sau", "number", 2),
                                                 Column("Thay đổi", "number", 2), Column("Điểm PCI tương ứng", "number", 2)],
                      change_rows, title=[f"Thay đổi điểm chỉ số thành phần {label}"],
                      note=["Điểm PCI tương ứng = hệ số tổng điểm × trọng số × thay đổi của chỉ số.", trends.change_note])
    return write_xlsx([years, peers, changes], title=f"PCI — {name}")
