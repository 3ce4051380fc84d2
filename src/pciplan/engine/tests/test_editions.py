"""Editions: the shipped specs, validation in Vietnamese, tolerant names, immutability."""

from __future__ import annotations

import dataclasses

import pytest

from pciplan.engine.editions import (
    edition_for_year,
    edition_from_dict,
    list_editions,
    load_edition,
    normalize_weights,
)
from pciplan.engine.errors import EditionError


def test_shipped_editions():
    codes = [e.code for e in list_editions()]
    assert codes == ["ddci-example", "pci-2013", "pci-2022"]
    e13, e22 = load_edition("pci-2013"), load_edition("pci-2022")
    assert [s.weight_percent for s in e13.subindices] == [5, 5, 20, 5, 10, 5, 5, 20, 20, 5]
    assert [s.weight_percent for s in e22.subindices] == [5, 10, 5, 5, 15, 10, 15, 15, 10, 10]
    assert (e13.first_year, e13.last_year, e22.first_year, e22.last_year) == (2013, 2021, 2022, None)
    for e in (e13, e22):
        assert (e.index, e.scale_min, e.scale_max, e.total_multiplier) == ("PCI", 1, 10, 10)
        assert e.codes[0] == "entry_costs" and e.codes[-1] == "legal_institutions"
    assert "5%" in e22.notes and "bảy tỉnh" in e22.notes  # how the 2022 weights were derived


def test_ddci_example_is_clearly_an_example():
    e = load_edition("ddci-example")
    assert e.is_example and e.index == "DDCI"
    assert "VÍ DỤ" in e.name_vi and "KHÔNG do" in e.notes and "not published by anyone" in e.notes
    assert abs(sum(s.weight_percent for s in e.subindices) - 100) < 1e-9
    assert "ddci-example" not in [x.code for x in list_editions(include_examples=False)]


def test_aliases_and_2021_renames():
    e13, e22 = load_edition("pci-2013"), load_edition("pci-2022")
    assert e13.subindex("Gia nhập thị trường").code == "entry_costs"
    assert e13.subindex("Chính sách hỗ trợ doanh nghiệp").code == "business_support"
    assert e13.subindex("Thiết chế pháp lý và an ninh trật tự").code == "legal_institutions"
    assert e22.subindex("8").name_vi == "Chính sách hỗ trợ doanh nghiệp"
    assert e22.subindex("Dịch vụ hỗ trợ doanh nghiệp").code == "business_support"
    assert e22.subindex("Thiết chế pháp lý").name_vi == "Thiết chế pháp lý và an ninh trật tự"
    # typos and missing diacritics from the reference plan
    assert e13.subindex("Tinh minh bạch").code == "transparency"
    assert e13.subindex("Tính năng động và tiên phong của lãnh đạo tỉnh").code == "proactivity"
    with pytest.raises(EditionError, match="không có chỉ số thành phần"):
        e13.subindex("Chỉ số hạnh phúc")


def test_specs_are_frozen():
    e = load_edition("pci-2013")
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.code = "x"
    with pytest.raises(TypeError):
        e.subindices[0].aggregation["method"] = "max"
    assert e.subindex("legal_institutions").aggregation["group_weights_percent"]["survey"] == 60


def _broken(**change):
    d = load_edition("pci-2013").to_dict()
    for key, value in change.items():
        i, field = key.split("__")
        d["subindices"][int(i)][field] = value
    return d


def test_weights_not_summing_to_100_are_refused_in_vietnamese():
    with pytest.raises(EditionError) as exc:
        edition_from_dict(_broken(**{"0__weight_percent": 6}))
    assert "Tổng trọng số các chỉ số thành phần phải bằng 100%; hiện là 101%." in exc.value.message


def test_weight_out_of_range_and_duplicates():
    with pytest.raises(EditionError, match="phải từ 0 đến 100%; hiện là 120%"):
        edition_from_dict(_broken(**{"2__weight_percent": 120}))
    with pytest.raises(EditionError, match="phải từ 0 đến 100%; hiện là -5%"):
        edition_from_dict(_broken(**{"2__weight_percent": -5}))
    with pytest.raises(EditionError, match="“entry_costs” bị trùng"):
        edition_from_dict(_broken(**{"1__code": "entry_costs"}))
    with pytest.raises(EditionError, match="Số thứ tự 1 .* bị trùng"):
        edition_from_dict(_broken(**{"1__number": 1}))
    with pytest.raises(EditionError, match="không phải là số"):
        edition_from_dict(_broken(**{"1__weight_percent": "năm"}))


def test_problems_lists_each_problem():
    d = _broken(**{"1__code": "entry_costs", "2__weight_percent": 120})
    with pytest.raises(EditionError) as exc:
        edition_from_dict(d)
    assert len(exc.value.problems) == 2


def test_weights_as_fractions_or_percent():
    assert normalize_weights([0.25, 0.75]).tolist() == [0.25, 0.75]
    assert normalize_weights([25, 75]).tolist() == [0.25, 0.75]
    for bad, message in [([0.5, 0.4], "Tổng trọng số phải bằng 1"), ([60, 50], "hiện là 110"),
                         ([1.2, -0.2], "không được âm"), (["a", 1], "phải là số")]:
        with pytest.raises(EditionError, match=message):
            normalize_weights(bad)
    e = load_edition("pci-2013")
    with pytest.raises(EditionError, match="Cần 10 trọng số"):
        e.with_weights([50, 50])
    with pytest.raises(EditionError, match="thiếu trọng số"):
        normalize_weights({"entry_costs": 100}, e.codes)


def test_edition_for_year():
    assert edition_for_year(2013).code == "pci-2013"
    assert edition_for_year(2021).code == "pci-2013"
    assert edition_for_year(2025).code == "pci-2022"
    with pytest.raises(EditionError, match="trước 2013"):
        edition_for_year(2012)


def test_unknown_edition():
    with pytest.raises(EditionError, match="Không có phiên bản “pci-2030”"):
        load_edition("pci-2030")
    with pytest.raises(EditionError):
        load_edition("../years")
