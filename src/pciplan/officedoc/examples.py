"""An example document for the documentation, the demo and the rendering checks.

The figures are real: the 2020 targets are those of Kế hoạch nâng cao năng lực cạnh tranh cấp tỉnh
(PCI) năm 2020 of Sở Khoa học và Công nghệ Bắc Giang ("2019 score + increase"); the 2019 and 2020 scores
and ranks are VCCI's as shown on https://www.pcivietnam.vn/ho-so-tinh/bac-giang. The document itself is
an example (number and day left blank for the clerk; the signer's name is a placeholder).
"""

from __future__ import annotations

from .document import AdminDocument, Bullet, Cell, Heading, Image, Paragraph, Signer, Table, TableColumn

SOURCE = "Nguồn: VCCI, PCI 2019 và PCI 2020 (pcivietnam.vn); mục tiêu theo Kế hoạch PCI năm 2020 của Sở."

#: (sub-index, 2019 score, 2020 target, 2020 score) — targets from the reference plan.
TARGETS_2020 = (
    ("Chi phí gia nhập thị trường", 6.78, 7.61, 6.99),
    ("Tính minh bạch", 6.85, 7.00, 5.39),
    ("Chi phí thời gian", 6.52, 7.08, 8.68),
    ("Chi phí không chính thức", 6.06, 6.50, 6.47),
    ("Cạnh tranh bình đẳng", 5.45, 6.50, 7.89),
    ("Tính năng động và tiên phong của lãnh đạo tỉnh", 6.98, 7.34, 6.75),
    ("Dịch vụ hỗ trợ doanh nghiệp", 5.43, 6.50, 5.82),
)


def example_chart():
    """The evaluation chart of the example (:func:`pciplan.charts.target_chart`) with the same figures.

    Examples
    --------
    >>> example_chart().title
    'Kết quả thực hiện mục tiêu năm 2020'
    """
    from pciplan.charts import TargetResult, target_chart

    results = [TargetResult(name, before, target, actual) for name, before, target, actual in TARGETS_2020]
    results.append(TargetResult("Thứ hạng PCI", 40, 30, 27, unit="hạng", higher_is_better=False))
    return target_chart(results, year=2020, source=SOURCE)


def example_report(chart_png: bytes | None = None) -> AdminDocument:
    """A year-end report on the 2020 PCI plan of Sở Khoa học và Công nghệ Bắc Giang (example).

    Parameters
    ----------
    chart_png : bytes, optional
        A chart to include (e.g. ``pciplan.charts.target_chart(...).png()``).

    Examples
    --------
    >>> example_report().doc_type
    'BÁO CÁO'
    """
    rows = []
    met = 0
    for idx, (name, before, target, actual) in enumerate(TARGETS_2020, start=1):
        ok = actual >= target
        met += ok
        rows.append([idx, name, before, target, actual, round(actual - target, 2), "Đạt" if ok else "Chưa đạt"])
    table = Table(
        columns=[
            TableColumn("TT", width_mm=10, align="center"),
            TableColumn("Chỉ số thành phần"),
            TableColumn("Điểm 2019", width_mm=19),
            TableColumn("Mục tiêu 2020", width_mm=20),
            TableColumn("Điểm 2020", width_mm=19),
            TableColumn("So với mục tiêu", width_mm=20),
            TableColumn("Kết quả", width_mm=22, align="center"),
        ],
        rows=rows,
        total_rows=[
            [Cell("Tổng điểm PCI", colspan=2), 64.47, None, 63.98, None, None],
            [Cell("Thứ hạng", colspan=2), Cell("40/63", align="right"), Cell("30/63", align="right"),
             Cell("27/63", align="right"), None, Cell("Đạt", align="center")],
        ],
        title="Kết quả thực hiện mục tiêu các chỉ số thành phần năm 2020",
        note=SOURCE,
    )
    body = [
        Paragraph("Thực hiện Kế hoạch nâng cao năng lực cạnh tranh cấp tỉnh (PCI) năm 2020 của Sở Khoa học "
                  "và Công nghệ, trên cơ sở kết quả PCI năm 2020 do Phòng Thương mại và Công nghiệp Việt Nam "
                  "(VCCI) công bố, Sở Khoa học và Công nghệ báo cáo kết quả thực hiện như sau:"),
        Heading("Kết quả thực hiện mục tiêu"),
        Heading("Tổng điểm và thứ hạng", level=2),
        Paragraph("Năm 2020, tỉnh Bắc Giang đạt 63,98 điểm, xếp thứ 27/63 tỉnh, thành phố, tăng 13 bậc so "
                  "với năm 2019 (64,47 điểm, xếp thứ 40/63), vượt mục tiêu xếp thứ 30/63 của Kế hoạch."),
        Heading("Các chỉ số thành phần", level=2),
        Paragraph(f"Trong 07 chỉ số thành phần được giao mục tiêu, {met:02d} chỉ số đạt và "
                  f"{len(TARGETS_2020) - met:02d} chỉ số chưa đạt mục tiêu, cụ thể:"),
        table,
    ]
    if chart_png:
        body.append(Image(chart_png, caption="Hình 1. Điểm năm 2019, mục tiêu và kết quả năm 2020"))
    body += [
        Heading("Đánh giá chung"),
        Heading("Chỉ số đạt mục tiêu", level=3),
        Bullet("Chi phí thời gian: 8,68 điểm, vượt mục tiêu 1,60 điểm."),
        Bullet("Cạnh tranh bình đẳng: 7,89 điểm, vượt mục tiêu 1,39 điểm."),
        Heading("Chỉ số chưa đạt mục tiêu", level=3),
        Bullet("Tính minh bạch giảm 1,46 điểm so với năm 2019, thấp hơn mục tiêu 1,61 điểm."),
        Bullet.markup("Chi phí không chính thức: 6,47 điểm, *thấp hơn mục tiêu 0,03 điểm*."),
        Heading("Phương hướng, nhiệm vụ năm 2021"),
        Paragraph("Các phòng, đơn vị trực thuộc Sở tiếp tục thực hiện các nhiệm vụ được giao, tập trung cải "
                  "thiện các chỉ số thành phần chưa đạt mục tiêu năm 2020."),
    ]
    return AdminDocument(
        parent_agency="UBND TỈNH BẮC GIANG",
        issuing_agency="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        doc_type="BÁO CÁO",
        summary="Kết quả thực hiện Kế hoạch nâng cao năng lực cạnh tranh cấp tỉnh (PCI) năm 2020",
        number=None,
        symbol="BC-KHCN",
        place="Bắc Giang",
        year=2021,
        month=None,
        day=None,
        body=body,
        signer=Signer(authority="KT. GIÁM ĐỐC", title="PHÓ GIÁM ĐỐC", name="Nguyễn Văn A"),
        recipients=["UBND tỉnh", "Sở Kế hoạch và Đầu tư", "Lãnh đạo Sở", "Các phòng, đơn vị trực thuộc Sở"],
        archive="VT, KHTC",
    )
