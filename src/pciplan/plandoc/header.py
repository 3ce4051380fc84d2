"""The document's identity: issuer, number and symbol, place and date, title and year, the plan it
implements, signer."""

from __future__ import annotations

import datetime as dt
import re

from .model import DocumentInfo, DocumentRef
from .textnorm import clean_fragment
from .units import _HEAD_RE, agency_display_name, looks_like_unit

_DOC_KINDS = (
    "ke hoach|quyet dinh|nghi quyet|chi thi|cong van|thong bao|chuong trinh|van ban|ket luan|nghi dinh|"
    "thong tu|huong dan|bao cao|de an|to trinh"
)
DOC_REF = re.compile(
    rf"\b({_DOC_KINDS})\s+(?:so\s*:?\s*)?(\d+[0-9a-z&]*(?:[/\-][0-9a-z&]+)*/[0-9a-z&\-/]+)"
    r"(?:\s*,?\s*ngay\s+(?:(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4})|(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})))?"
    r"(?:\s+cua\s+([^,;.\n]{2,80}?))?(?=\s+ve\s|\s+ban hanh|\s+phe duyet|,|;|\.|\)|\n|$)"
)
_NUMBER = re.compile(r"\bso\s*[:.]?\s*(\d*)\s*/\s*([0-9a-zđ&\-.]+)")
_PLACE_DATE = re.compile(
    r"^(?P<place>[^,\t\n]{2,40}?),\s*ngay\s*(?P<d>\d{1,2})?\s*[.…_ ]*\s*thang\s*(?P<m>\d{1,2})?\s*[.…_ ]*\s*nam\s*(?P<y>\d{4})"
)
_SKIP_HEADER = re.compile(r"^(?:cong hoa|doc lap|so\s*[:.]|ke hoach|v/v|tai lieu)")
_SIGNER_TITLE = re.compile(r"(?:giam doc|chu tich|truong ban|truong phong|thu truong|chanh|vien truong|bi thu|kt\.|tm\.|q\.|tl\.)")


def _cells(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    out, pos = [], start
    for cell in text[start:end].split("\t"):
        s = pos + (len(cell) - len(cell.lstrip()))
        out.append((s, s + len(cell.strip()), cell.strip()))
        pos += len(cell) + 1
    return [c for c in out if c[2]]


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _is_upper(cell: str) -> bool:
    letters = [c for c in cell if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def _is_person(cell: str) -> bool:
    words = cell.split()
    if not 2 <= len(words) <= 5 or _is_upper(cell):
        return False
    return all(w[0].isupper() and w.isalpha() and (len(w) == 1 or w[1:].islower()) for w in words)


def find_doc_refs(text: str, folded: str) -> list[DocumentRef]:
    """Other documents cited, with their numbers and dates (never read as targets or deadlines)."""
    refs = []
    for m in DOC_REF.finditer(folded):
        g = m.groups()
        date = None
        day, month, year = (g[2], g[3], g[4]) if g[2] else (g[5], g[6], g[7])
        if year:
            try:
                date = dt.date(int(year), int(month), int(day))
            except ValueError:
                date = None
        issuer = clean_fragment(text[m.start(9):m.end(9)]) if g[8] else None
        kind = clean_fragment(text[m.start(1):m.end(1)])
        refs.append(DocumentRef(kind[:1].upper() + kind[1:], text[m.start(2):m.end(2)], date, issuer,
                                clean_fragment(text[m.start():m.end()]), span=(m.start(), m.end()),
                                spans={"number": (m.start(2), m.end(2))}))
    return refs


def parse_document(text: str, folded: str, refs: list[DocumentRef]) -> tuple[DocumentInfo, int]:
    """The document's identity, and the offset where its body (after the title) begins."""
    info = DocumentInfo()
    lines = _lines(text)
    title_i = None
    for i, (s, e) in enumerate(lines[:60]):
        line = text[s:e].strip()
        if re.fullmatch(r"ke hoach", folded[s:e].strip()) or (
            _is_upper(line) and folded[s:e].strip().startswith("ke hoach") and len(line) < 120
        ):
            title_i = i
            break
        if "\t" in line and any(re.fullmatch(r"ke hoach", c[2], re.I) for c in _cells(folded, s, e)):
            title_i = i
            break
    header = lines[: title_i if title_i is not None else min(len(lines), 15)]
    agencies: list[list[tuple[int, int, str]]] = []
    for s, e in header:
        for cs, ce, cell in _cells(text, s, e):
            fcell = folded[cs:ce]
            m = _NUMBER.search(fcell)
            if m and info.symbol is None and fcell.lstrip().startswith("so"):
                info.number = text[cs + m.start(1):cs + m.end(1)] or None
                info.symbol = text[cs + m.start(2):cs + m.end(2)].rstrip(".") or None
                info.spans["number"] = (cs + m.start(), cs + m.end())
                continue
            m = _PLACE_DATE.match(fcell)
            if m and info.date is None:
                place = clean_fragment(text[cs + m.start("place"):cs + m.end("place")])
                info.place = place
                y, mo, d = m.group("y"), m.group("m"), m.group("d")
                if mo and d:
                    try:
                        info.date = dt.date(int(y), int(mo), int(d)).isoformat()
                    except ValueError:
                        info.date = f"{int(y):04d}-{int(mo):02d}"
                elif mo:
                    info.date = f"{int(y):04d}-{int(mo):02d}"
                else:
                    info.date = f"{int(y):04d}"
                info.spans["date"] = (cs, cs + m.end())
                info.spans["place"] = (cs + m.start("place"), cs + m.end("place"))
                continue
            if _is_upper(cell) and len(cell) <= 90 and not _SKIP_HEADER.match(fcell):
                if agencies and not _HEAD_RE.match(fcell):
                    agencies[-1].append((cs, ce, cell))
                else:
                    agencies.append([(cs, ce, cell)])
    if agencies:
        last = agencies[-1]
        info.issuer = agency_display_name(" ".join(c[2] for c in last))
        info.spans["issuer"] = (last[0][0], last[-1][1])
        if len(agencies) > 1:
            info.parent_issuer = agency_display_name(" ".join(c[2] for c in agencies[-2]))
    body_start = 0
    if title_i is not None:
        ts, te = lines[title_i]
        body_start = te
        title_lines = []
        for s, e in lines[title_i + 1:title_i + 6]:
            line = text[s:e].strip()
            if not line:
                if title_lines:
                    break
                continue
            if title_lines and (re.match(r"(?:thuc hien|can cu|trien khai|nham|de)\b", folded[s:e].strip())
                                or re.match(r"[IVX]+\.", line)):
                break
            title_lines.append((s, e))
            body_start = e
        if title_lines:
            info.title = clean_fragment(" ".join(text[s:e] for s, e in title_lines))
            info.spans["title"] = (title_lines[0][0], title_lines[-1][1])
            years = re.findall(r"\bnam\s+(\d{4})\b", folded[title_lines[0][0]:title_lines[-1][1]])
            if years:
                info.year = int(years[-1])
                info.spans["year"] = info.spans["title"]
    if info.year is None and info.date:
        info.year = int(info.date[:4])
    # Issuer from the opening sentence when the header has none: "…, Sở Khoa học và Công nghệ xây dựng kế hoạch".
    if info.issuer is None:
        window = folded[body_start:body_start + 3000]
        m = re.search(r"(?:^|[,;:.]\s*|\n)((?:so|uy ban|ubnd|ban|phong|trung tam|van phong|thanh tra|cuc|chi cuc)\s[^,;:.\n]{2,80}?)"
                      r"\s+(?:xay dung|ban hanh|trien khai)\s+(?:ke hoach|ke hoach)", window)
        if m:
            s, e = body_start + m.start(1), body_start + m.end(1)
            name = clean_fragment(text[s:e])
            if looks_like_unit(name):
                info.issuer = name[:1].upper() + name[1:]
                info.spans["issuer"] = (s, e)
    # The plan it implements: the first document cited in the opening sentence.
    opening = re.search(r"(?:thuc hien|can cu|trien khai|theo)\b", folded[body_start:body_start + 2000])
    if opening:
        at = body_start + opening.start()
        for ref in refs:
            if at <= ref.span[0] <= at + 600:
                info.implements = ref
                info.spans["implements"] = ref.span
                break
    # Signer: a person's name under a title line at the end of the document.
    tail = [ln for ln in lines[-14:] if text[ln[0]:ln[1]].strip()]
    seen_title = False
    for s, e in tail:
        for cs, ce, cell in _cells(text, s, e):
            if _is_upper(cell) and _SIGNER_TITLE.search(folded[cs:ce]):
                seen_title = True
                info.signer_title = cell
            elif seen_title and _is_person(cell):
                info.signer = cell
                info.spans["signer"] = (cs, ce)
    if info.spans:
        first = min(v[0] for v in info.spans.values())
        info.span = (first, max(v[1] for v in info.spans.values()))
    return info, body_start


def plan_anchor(info: DocumentInfo) -> dt.date | None:
    """The date recurring duties start from: the plan's date (day 1 if the day is blank), else 1/1."""
    if info.date:
        parts = [int(p) for p in info.date.split("-")]
        while len(parts) < 3:
            parts.append(1)
        try:
            return dt.date(*parts)
        except ValueError:
            pass
    if info.year:
        return dt.date(info.year, 1, 1)
    return None
