"""Generate the province lists (63 until 30/6/2025, 34 from 1/7/2025) and the old → new mapping.

Run once, by hand, when the source data change; the product reads only the CSV files it writes:

    .venv/bin/pip install vietnamadminunits==1.0.4      # generation only, not a dependency
    .venv/bin/python scripts/build_provinces.py [--check PCI_CSV ...]

Source: the MIT-licensed PyPI package ``vietnamadminunits`` (tables ``admin_units_legacy`` and
``admin_units`` of its ``dataset.db``; ``converter_2025.json`` for old → new). The 2025 arrangement
itself is Nghị quyết 202/2025/QH15. Slugs and display names of the 63 provinces follow VCCI's PCI
tables, so the PCI history joins on them; ``--check`` fails loudly if a PCI CSV (with a ``slug``
column) names a province the list does not have, or lacks one the list has.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pciplan.lib.text import fold_key, nfc  # noqa: E402

OUT = ROOT / "src" / "pciplan" / "data" / "provinces"
PACKAGE = "vietnamadminunits"
LAW = "Nghị quyết 202/2025/QH15"
CUTOVER = "2025-07-01"
LAST_DAY_63 = "2025-06-30"
CITY = "thành phố trực thuộc trung ương"
PROVINCE = "tỉnh"

# Where VCCI's PCI tables name a province differently from the package (package code → slug, name,
# kind as ranked in PCI 2013–2024). Thừa Thiên Huế became the centrally-run city of Huế on 1/1/2025;
# PCI publishes its whole history under the province name.
PCI_OVERRIDES_63 = {
    "46": ("thua-thien-hue", "Thừa Thiên Huế", PROVINCE),
    "79": ("tp-ho-chi-minh", "TP. Hồ Chí Minh", CITY),
}
NOTES_63 = {
    "46": "Trở thành thành phố Huế trực thuộc trung ương từ 01/01/2025; PCI 2013–2024 xếp hạng với tên Thừa Thiên Huế.",
}
MAPPING_NOTES = {
    "thua-thien-hue": "Không sắp xếp; từ 01/01/2025 là thành phố Huế trực thuộc trung ương.",
}
OVERRIDES_34 = {
    "79": ("tp-ho-chi-minh", "TP. Hồ Chí Minh"),
}

# Other spellings met in VCCI's data workbooks (PCI_2013–2016.xlsx) and in common use; the package's
# own aliases are ASCII keys ("hcm", "baria"), kept below through the ASCII form of each name.
EXTRA_ALIASES = {
    "dak-lak": ["Đăk Lăk", "Đắc Lắc", "Dak Lak", "Daklak"],
    "dak-nong": ["Đăk Nông", "Dak Nong"],
    "tp-ho-chi-minh": ["Thành phố Hồ Chí Minh", "TP HCM", "TP.HCM", "Tp.HCM", "HCMC", "Hồ Chí Minh", "Sài Gòn"],
    "thua-thien-hue": ["Thừa Thiên - Huế", "TT-Huế", "TT- Huế", "TT.Huế", "TT-Hue", "Thành phố Huế"],
    "ba-ria-vung-tau": ["Bà Rịa – Vũng Tàu", "Bà Rịa-Vũng Tàu", "BRVT", "BR-VT"],
    "kon-tum": ["Kontum"],
    "ha-noi": ["Thủ đô Hà Nội", "TP. Hà Nội"],
    "hai-phong": ["TP. Hải Phòng"],
    "da-nang": ["TP. Đà Nẵng"],
    "can-tho": ["TP. Cần Thơ"],
    "hue": ["TP. Huế"],
}

# Vowel pairs whose tone mark moves in the older spelling ("Hòa" / "Hoà", "Thúy" / "Thuý").
_TONE_MOVES = {
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
    "òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
    "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
}


def old_style(name: str) -> str:
    """Return the older tone placement of ``name`` ("Hòa Bình" → "Hoà Bình")."""
    for new, old in _TONE_MOVES.items():
        name = name.replace(new, old).replace(new.capitalize(), old.capitalize())
    return name


def ascii_name(name: str) -> str:
    """Return ``name`` without diacritics, capitalised word by word ("Bắc Giang" → "Bac Giang")."""
    return " ".join(word.capitalize() if word.isalpha() else word for word in fold_key(name).split())


def slugify(name: str) -> str:
    return fold_key(name).replace(" ", "-")


def aliases_for(slug: str, name: str, official: str, short: str) -> list[str]:
    candidates = [name, old_style(name), short, old_style(short), official, old_style(official),
                  ascii_name(short), *EXTRA_ALIASES.get(slug, [])]
    seen: list[str] = []
    for alias in candidates:
        alias = nfc(alias)
        if alias and alias not in seen:
            seen.append(alias)
    return seen


def kind_of(official: str) -> str:
    if official.startswith("Thành phố "):
        return CITY
    if official.startswith("Tỉnh "):
        return PROVINCE
    raise SystemExit(f"Không rõ loại đơn vị hành chính: {official!r}")


def load_package():
    from vietnamadminunits.database import query

    fields = "provinceCode, province, provinceShort, provinceKey"
    legacy = query(f"SELECT DISTINCT {fields} FROM admin_units_legacy ORDER BY provinceCode")
    current = query(f"SELECT DISTINCT {fields} FROM admin_units ORDER BY provinceCode")
    import vietnamadminunits

    converter = json.loads((Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json")
                           .read_text(encoding="utf-8"))["DICT_PROVINCE"]
    return legacy, current, converter


def build() -> tuple[list[dict], list[dict], list[dict]]:
    legacy, current, converter = load_package()
    version = metadata.version(PACKAGE)
    if len(legacy) != 63 or len(current) != 34:
        raise SystemExit(f"{PACKAGE} {version}: {len(legacy)} tỉnh cũ, {len(current)} tỉnh mới (cần 63 và 34)")

    rows_63, by_key_63 = [], {}
    for unit in legacy:
        code = unit["provinceCode"]
        official, short = nfc(unit["province"]), nfc(unit["provinceShort"])
        slug, name, kind = PCI_OVERRIDES_63.get(code, (slugify(short), short, kind_of(official)))
        row = {"slug": slug, "name": name, "kind": kind, "valid_from": "", "valid_to": LAST_DAY_63,
               "aliases": "|".join(aliases_for(slug, name, official, short)), "code": code,
               "note": NOTES_63.get(code, "")}
        rows_63.append(row)
        by_key_63[unit["provinceKey"]] = row

    rows_34, by_key_34 = [], {}
    for unit in current:
        code = unit["provinceCode"]
        official, short = nfc(unit["province"]), nfc(unit["provinceShort"])
        slug, name = OVERRIDES_34.get(code, (slugify(short), short))
        row = {"slug": slug, "name": name, "kind": kind_of(official), "valid_from": CUTOVER, "valid_to": "",
               "aliases": "|".join(aliases_for(slug, name, official, short)), "code": code, "note": ""}
        rows_34.append(row)
        by_key_34[unit["provinceKey"]] = row

    source = f"{LAW}; {PACKAGE} {version} (converter_2025.json)"
    mapping = []
    for new_key, old_keys in converter.items():
        new = by_key_34[new_key]
        olds = [by_key_63[k] for k in old_keys]
        old_names = ", ".join(o["name"] for o in olds)
        for old in olds:
            if len(olds) == 1 and old["slug"] == new["slug"]:
                note = "Không sắp xếp, giữ nguyên."
            elif len(olds) == 1:
                note = MAPPING_NOTES.get(old["slug"], f"Không sắp xếp; nay là {new['name']}.")
            else:
                note = f"Sắp xếp {old_names} thành {new['name']}."
            mapping.append({"old_slug": old["slug"], "new_slug": new["slug"], "effective_date": CUTOVER,
                            "note": note, "source": source})

    counts: dict[str, int] = {}
    for row in mapping:
        counts[row["old_slug"]] = counts.get(row["old_slug"], 0) + 1
    missing = {r["slug"] for r in rows_63} - set(counts)
    if missing:
        raise SystemExit(f"Tỉnh cũ không có trong bảng chuyển đổi: {sorted(missing)}")
    split = {slug for slug, n in counts.items() if n > 1}
    if split:  # a province divided between new ones keeps one row per new province
        for row in mapping:
            if row["old_slug"] in split:
                row["note"] += " Tỉnh cũ được chia cho nhiều tỉnh mới."
    rows_63.sort(key=lambda r: r["slug"])
    rows_34.sort(key=lambda r: r["slug"])
    mapping.sort(key=lambda r: (r["old_slug"], r["new_slug"]))
    return rows_63, rows_34, mapping


def check_against(rows_63: list[dict], paths: list[Path]) -> None:
    ours = {r["slug"] for r in rows_63}
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            theirs = {r["slug"] for r in csv.DictReader(fh)}
        if theirs != ours:
            raise SystemExit(f"{path}: thiếu {sorted(ours - theirs)}, thừa {sorted(theirs - ours)}")
        print(f"{path.name}: {len(theirs)} slug khớp")


def write(path: Path, rows: list[dict], fields: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{path.relative_to(ROOT)}: {len(rows)} dòng")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", nargs="*", type=Path, default=[],
                        help="PCI CSV files with a slug column that must name exactly the 63 provinces")
    args = parser.parse_args(argv)
    rows_63, rows_34, mapping = build()
    check_against(rows_63, args.check)
    OUT.mkdir(parents=True, exist_ok=True)
    fields = ["slug", "name", "kind", "valid_from", "valid_to", "aliases", "code", "note"]
    write(OUT / "provinces_63.csv", rows_63, fields)
    write(OUT / "provinces_34.csv", rows_34, fields)
    write(OUT / "province_mapping.csv", mapping, ["old_slug", "new_slug", "effective_date", "note", "source"])


if __name__ == "__main__":
    main()
