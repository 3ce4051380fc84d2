"""``pciplan score|whatif|solve``: the JSON contract, readable tables, errors on stderr without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pciplan.cli import main as pciplan_main
from pciplan.engine.cli import score_main, solve_main, whatif_main
from pciplan.engine.data import SUBINDEX_CODES, load_results


def _write(tmp_path, text, name="scores.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_score_json_contract_in_input_order_with_ranks_per_year(tmp_path, capsys):
    r16 = load_results(2016).set_index("province_slug")
    lines = ["province,year," + ",".join(SUBINDEX_CODES)]
    picks = [("Bắc Giang", 2016, "bac-giang"), ("Đà Nẵng", 2016, "da-nang"), ("Tỉnh A", 2030, None),
             ("Tỉnh B", 2030, None)]
    for name, year, slug in picks:
        scores = [repr(float(r16.loc[slug, c])) for c in SUBINDEX_CODES] if slug else (
            ["6"] * 10 if name == "Tỉnh A" else ["7"] * 10)
        lines.append(f"{name},{year}," + ",".join(scores))
    code = score_main([_write(tmp_path, "\n".join(lines) + "\n"), "--edition", "pci-2013", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [o["province"] for o in out] == ["Bắc Giang", "Đà Nẵng", "Tỉnh A", "Tỉnh B"]
    assert out[0] == {"province": "Bắc Giang", "year": 2016, "total": 58.2, "rank": 2, "group": "Khá"}
    assert out[1] == {"province": "Đà Nẵng", "year": 2016, "total": 70.0, "rank": 1, "group": "Rất tốt"}
    assert out[2] == {"province": "Tỉnh A", "year": 2030, "total": 60.0, "rank": 2, "group": None}
    assert out[3]["rank"] == 1 and out[3]["total"] == 70.0


def test_score_without_year_ranks_all_together_and_prints_a_table(tmp_path, capsys):
    text = "province," + ",".join(SUBINDEX_CODES) + "\nA," + ",".join(["5"] * 10) + "\nB," + ",".join(["6"] * 10) + "\n"
    path = _write(tmp_path, text)
    assert score_main([path, "--edition", "pci-2022", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(o["year"], o["rank"], o["total"]) for o in out] == [(None, 2, 50.0), (None, 1, 60.0)]
    assert score_main([path, "--edition", "pci-2022"]) == 0
    table = capsys.readouterr().out
    assert "Tổng điểm" in table and "60,00" in table


@pytest.mark.parametrize("content, args, message", [
    ("province," + ",".join(SUBINDEX_CODES) + "\nA,abc" + ",5" * 9 + "\n", ["--edition", "pci-2013"],
     "Dòng 2, cột “entry_costs”: Ô không phải là số: “abc”."),
    ("province," + ",".join(SUBINDEX_CODES) + "\nA,12" + ",5" * 9 + "\n", ["--edition", "pci-2013"],
     "phải từ 1 đến 10"),
    ("province,entry_costs\nA,5\n", ["--edition", "pci-2013"], "Thiếu cột chỉ số thành phần"),
    ("province," + ",".join(SUBINDEX_CODES) + "\nA" + ",5" * 10 + "\n", [],
     "Chọn phiên bản phương pháp bằng --edition"),
    ("province," + ",".join(SUBINDEX_CODES) + "\nA" + ",5" * 10 + "\n", ["--edition", "pci-1999"],
     "Không có phiên bản “pci-1999”"),
    ("province," + ",".join(SUBINDEX_CODES) + "\nA" + ",5" * 10 + "\n", ["--edition", "pci-2013", "--weights",
                                                                        "5;5;20;5;10;5;5;20;20;6"],
     "Tổng trọng số phải bằng 1 (tức 100%); hiện là 101."),
])
def test_score_bad_input(tmp_path, capsys, content, args, message):
    code = score_main([_write(tmp_path, content), *args, "--json"])
    err = capsys.readouterr().err
    assert code == 1 and message in err and "Traceback" not in err


def test_missing_file_and_bad_usage(capsys):
    assert score_main(["/no/such/file.csv", "--edition", "pci-2013"]) == 1
    assert "Không tìm thấy tệp" in capsys.readouterr().err
    assert score_main([]) == 2
    assert "lỗi cú pháp" in capsys.readouterr().err
    assert solve_main(["--target-rank", "abc"]) == 2


def test_whatif_defaults_to_bac_giang_2019_against_2020(capsys):
    assert whatif_main(["--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["province"] == "bac-giang" and out["base_year"] == 2019 and out["field_year"] == 2020
    assert out["total_before"] == 64.48 and out["rank_before"] == 23
    assert whatif_main(["--set", "Gia nhập thị trường=7,61", "--add", "transparency=0.15"]) == 0
    text = capsys.readouterr().out
    assert "Thứ hạng: 23 →" in text and "Ghi chú: Năm 2020" in text


@pytest.mark.parametrize("args, message", [
    (["--province", "Atlantis"], "Không nhận ra tỉnh “Atlantis”"),
    (["--province", "Hà Nội"], "Không có kết quả PCI năm 2019"),
    (["--set", "entry_costs"], "phải có dạng TÊN=GIÁ_TRỊ"),
    (["--set", "entry_costs=bảy"], "không phải là số"),
    (["--weights", "10;10;10"], "Cần 10 trọng số"),
])
def test_whatif_errors(capsys, args, message):
    code = whatif_main(args)
    err = capsys.readouterr().err
    assert code in (1, 2) and message in err and "Traceback" not in err


def test_solve(capsys):
    assert solve_main(["--target-rank", "10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "optimal" and out["rank_after"] <= 10 and out["required_total"] == 66.735
    assert solve_main(["--target-rank", "70"]) == 1
    assert "phải từ 1 đến 63" in capsys.readouterr().err
    assert solve_main(["--target-rank", "1"]) == 1
    assert "Không khả thi" in capsys.readouterr().out
    assert solve_main(["--target-group", "Tốt", "--year", "2016", "--field-year", "2016"]) == 0
    assert solve_main([]) == 0  # default target: the reference plan's rank 30/63, already reached by 2019's scores
    assert "Đã đạt hạng 30/63" in capsys.readouterr().out


def test_dispatch_through_the_console_script(tmp_path, capsys):
    assert pciplan_main(["pciplan", "whatif", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rank_before"] == 23


def test_no_traceback_in_a_real_process(tmp_path):
    path = _write(tmp_path, "province," + ",".join(SUBINDEX_CODES) + "\nA,x" + ",5" * 9 + "\n")
    proc = subprocess.run([sys.executable, "-m", "pciplan", "score", path, "--edition", "pci-2013"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "Ô không phải là số" in proc.stderr and "Traceback" not in proc.stderr
