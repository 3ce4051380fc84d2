"""Charts: they draw, their SVG is well-formed and accessible, the words and numbers are Vietnamese,
status reads in grey scale, and no figure is left behind."""

from __future__ import annotations

import doctest
import importlib
import re
import xml.etree.ElementTree as ET

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (only to check that nothing registers figures)
from matplotlib import font_manager  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402

from pciplan.charts import (  # noqa: E402
    MET,
    MISSED,
    Estimate,
    TargetResult,
    estimate_chart,
    estimate_status,
    radar_chart,
    ranking_chart,
    status_chart,
    status_style,
    target_chart,
    trend_chart,
)

SVG = "{http://www.w3.org/2000/svg}"

# Real figures. Bắc Giang sub-indices 2019 and 2020, totals and ranks 2017–2022:
# https://www.pcivietnam.vn/ho-so-tinh/bac-giang. PCI 2020 totals and ranks (excerpt):
# https://pcivietnam.vn/bang-xep-hang?cpi_cat_id=PCI_Score&region_id=0&year=2020
# 2020 targets: Kế hoạch nâng cao PCI năm 2020, Sở Khoa học và Công nghệ Bắc Giang.
LABELS = ["Gia nhập thị trường", "Tiếp cận đất đai", "Tính minh bạch", "Chi phí thời gian",
          "Chi phí không chính thức", "Cạnh tranh bình đẳng", "Tính năng động", "Hỗ trợ doanh nghiệp",
          "Đào tạo lao động", "Thiết chế pháp lý"]
BG_2019 = [6.78, 6.84, 6.85, 6.52, 6.06, 5.45, 6.98, 5.43, 7.19, 6.38]
BG_2020 = [6.99, 6.30, 5.39, 8.68, 6.47, 7.89, 6.75, 5.82, 6.82, 6.28]
TARGETS_2020 = [7.61, None, 7.00, 7.08, 6.50, 6.50, 7.34, 6.50, None, None]
TOTALS_2020 = {"Quảng Ninh": 75.09, "Đồng Tháp": 72.81, "Long An": 70.37, "Bình Dương": 70.16,
               "Khánh Hòa": 63.98, "Bắc Giang": 63.98, "Bạc Liêu": 59.61}
RANKS_2020 = {"Quảng Ninh": 1, "Đồng Tháp": 2, "Long An": 3, "Bình Dương": 4, "Bắc Giang": 27,
              "Khánh Hòa": 28, "Bạc Liêu": 63}
YEARS = [2017, 2018, 2019, 2020, 2021, 2022]
TOTALS = [62.2, 63.01, 64.47, 63.98, 64.74, 72.8]
RANKS = [30, 36, 40, 27, 31, 2]


def _charts():
    return {
        "radar": radar_chart(LABELS, BG_2020, target=TARGETS_2020, median=BG_2019, best=BG_2019,
                             best_name="Năm 2019", year=2020, province="Bắc Giang", source="Nguồn: VCCI."),
        "ranking": ranking_chart(TOTALS_2020, ranks=RANKS_2020, year=2020, highlight="Bắc Giang", target=65),
        "trend": trend_chart(YEARS, TOTALS, ranks=RANKS, province="Bắc Giang", rank_targets={2020: 30},
                             targets={2020: 65.0}),
        "targets": target_chart([
            TargetResult("Chi phí gia nhập thị trường", 6.78, 7.61, 6.99),
            TargetResult("Chi phí thời gian", 6.52, 7.08, 8.68),
            TargetResult("Thứ hạng PCI", 40, 30, 27, unit="hạng", higher_is_better=False),
            TargetResult("Doanh nghiệp dùng dịch vụ công nghệ", 19.5, 45, None, unit="%"),
        ], year=2020),
        # Synthetic survey estimates (no published figure): they only exercise the drawing.
        "estimate": estimate_chart([Estimate("Toàn tỉnh", 42.0, 36.1, 47.9, n=260),
                                    Estimate("Doanh nghiệp nhỏ", 38.5, 31.0, 46.0, n=150, target=40)],
                                   title="Doanh nghiệp từng sử dụng dịch vụ công nghệ", year=2020, target=45),
        "status": status_chart([("Đúng tiến độ", 12), ("co_nguy_co", 3), ("Chậm", 2), ("Đã gửi", 5)],
                               title="Tình trạng nhiệm vụ", period="Quý III/2020", unit="nhiệm vụ"),
    }


@pytest.fixture(scope="module")
def charts():
    return _charts()


@pytest.mark.parametrize("name", ["radar", "ranking", "trend", "targets", "estimate", "status"])
def test_svg_is_well_formed_accessible_and_titled(charts, name):
    chart = charts[name]
    svg = chart.svg()
    assert svg.startswith("<svg")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.text == chart.title and desc.text == chart.alt
    assert set(root.get("aria-labelledby").split()) == {title.get("id"), desc.get("id")}
    assert any(ch in chart.title for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
    assert svg == chart.svg()  # deterministic: same chart, same bytes
    assert len(svg) < 200_000  # light enough to inline in a page


@pytest.mark.parametrize("name", ["radar", "ranking", "trend", "targets", "estimate", "status"])
def test_png_renders_and_no_figure_leaks(charts, name):
    before = plt.get_fignums()
    png = charts[name].png(dpi=60)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000
    assert plt.get_fignums() == before == []


def test_titles_carry_the_year(charts):
    assert charts["radar"].title == "Chỉ số thành phần PCI 2020 — Bắc Giang"
    assert "2020" in charts["ranking"].title
    assert charts["trend"].title == "PCI của Bắc Giang, 2017–2022: điểm số và thứ hạng"
    assert charts["targets"].title == "Kết quả thực hiện mục tiêu năm 2020"
    assert charts["estimate"].title == "Doanh nghiệp từng sử dụng dịch vụ công nghệ — khảo sát 2020"
    assert charts["status"].title == "Tình trạng nhiệm vụ — Quý III/2020"


def test_alt_texts_state_the_numbers_with_decimal_comma(charts):
    radar = charts["radar"].alt
    assert "Gia nhập thị trường 6,99 (mục tiêu 7,61" in radar and "Tính minh bạch 5,39" in radar
    assert not re.search(r"\d\.\d", radar)  # no decimal point anywhere
    ranking = charts["ranking"].alt
    assert "cao nhất Quảng Ninh 75,09 điểm" in ranking
    assert "Bắc Giang 63,98 điểm, hạng 27/7" in ranking  # the excerpt has 7 provinces
    assert "mục tiêu 65,00 điểm" in ranking
    trend = charts["trend"].alt
    assert "2020: 63,98 điểm, hạng 27/63" in trend and "2022: 72,80 điểm, hạng 2/63" in trend
    assert "mục tiêu thứ hạng 2020: 30/63" in trend.lower()
    targets = charts["targets"].alt
    assert targets.startswith("Kết quả thực hiện 4 mục tiêu năm 2020: 1 chưa đạt, 2 đạt, 1 chưa có dữ liệu.")
    assert "Thứ hạng PCI: 2019 hạng 40, mục tiêu hạng 30, kết quả hạng 27 — đạt" in targets
    estimate = charts["estimate"].alt
    assert "Toàn tỉnh: 42,0% (khoảng tin cậy 95%: 36,1–47,9%, n = 260), mục tiêu 45,0%" in estimate
    assert charts["status"].alt.endswith("tổng 22 nhiệm vụ; Đúng tiến độ 12, Có nguy cơ 3, Chậm 2, Đã gửi 5.")


def test_published_ranks_win_over_score_order():
    # Bắc Giang and Khánh Hòa both scored 63,98 in 2020; VCCI ranked Bắc Giang 27th.
    chart = ranking_chart(TOTALS_2020, ranks=RANKS_2020, year=2020, highlight="Bắc Giang")
    rows = chart.table.rows
    assert rows[4] == ("27", "Bắc Giang", "63,98") and rows[5] == ("28", "Khánh Hòa", "63,98")
    unranked = ranking_chart({"A": 60.0, "B": 70.0}, year=2020, highlight="A")
    assert unranked.table.rows == (("1", "B", "70,00"), ("2", "A", "60,00"))
    with pytest.raises(ValueError, match="không có trong danh sách"):
        ranking_chart({"A": 60.0}, year=2020, highlight="Bắc Giang")


def test_rank_counts_follow_the_edition():
    chart = trend_chart([2024, 2025], [70.0, None], ranks=[10, None], province="Bắc Ninh",
                        ranked_count={2024: 63, 2025: 34})
    assert chart.table.rows == (("2024", "70,00", "10/63"), ("2025", "—", "—"))
    chart.png(dpi=40)  # a year without a published score draws a gap, not an error


def test_target_status_and_estimate_status():
    assert TargetResult("x", 40, 30, 27, unit="hạng", higher_is_better=False).status_key == MET
    assert TargetResult("x", 6.06, 6.5, 6.47).status_key == MISSED
    assert TargetResult("x", 1, 2, None).status_key == "chua_co_du_lieu"
    assert estimate_status(Estimate("x", 50, 46, 54), 45) == MET
    assert estimate_status(Estimate("x", 40, 36, 44), 45) == MISSED
    assert estimate_status(Estimate("x", 44, 40, 48), 45) == "chua_chac_chan"
    assert estimate_status(Estimate("x", 10, 8, 12, higher_is_better=False), 15) == MET


def _luminance(color: str) -> float:
    """WCAG relative luminance."""
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_statuses_read_in_grey_scale():
    keys = ["dat", "chua_dat", "co_nguy_co", "chua_co_du_lieu"]
    styles = [status_style(k) for k in keys]
    assert [s.label for s in styles] == ["Đạt", "Chưa đạt", "Có nguy cơ", "Chưa có dữ liệu"]
    for i, a in enumerate(styles):
        for b in styles[i + 1:]:
            distinct = a.hatch != b.hatch or abs(_luminance(a.color) - _luminance(b.color)) > 0.2
            assert distinct, (a.label, b.label)
            assert a.marker != b.marker or a.hatch != b.hatch
    for style in styles:  # text drawn in the status colour passes WCAG AA on white
        assert 1.05 / (_luminance(style.text_color) + 0.05) >= 4.5, style.label


def test_font_covers_vietnamese():
    path = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    font = FT2Font(path)
    text = "".join(LABELS) + "ỐỒỔỖỘỚỜỞỠỢứừửữựỳỵỷỹđĐ"
    missing = {ch for ch in set(text) if not ch.isspace() and font.get_char_index(ord(ch)) == 0}
    assert not missing


def test_bad_input_is_refused_in_vietnamese():
    with pytest.raises(ValueError, match="ít nhất 3"):
        radar_chart(["A", "B"], [1, 2], year=2020, province="X")
    with pytest.raises(ValueError, match="cần 3 giá trị"):
        radar_chart(["A", "B", "C"], [1, 2, 3], target=[1, 2], year=2020, province="X")
    with pytest.raises(ValueError):
        target_chart([], year=2020)


@pytest.mark.parametrize("module", ["style", "base", "pci", "results"])
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(f"pciplan.charts.{module}"))
    assert result.failed == 0
