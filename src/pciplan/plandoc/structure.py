"""Cutting normalised plan text into logical paragraphs, table rows, sections and clauses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .textnorm import fold_same_length

# marker kind -> nesting level (smaller is higher)
LEVELS = {"roman": 1, "num": 2, "num2": 3, "letter": 4, "bullet": 5, "dash": 6, "plus": 7, "plain": 8}
_MARKERS = (
    ("roman", re.compile(r"(?:X{0,3})(?:IX|IV|V?I{1,3}|V|X)\s*[.)/]\s+")),
    ("num2", re.compile(r"\d{1,2}\.\d{1,2}(?:\.\d{1,2})?\.?\s+")),
    ("num", re.compile(r"\d{1,2}\s*[.)]\s+(?=\D)")),
    ("letter", re.compile(r"[a-zđ]\)\s*")),
    ("bullet", re.compile(r"[•·●▪■◦○]\s*")),
    ("dash", re.compile(r"[-–—]\s*(?=\S)")),
    ("plus", re.compile(r"\+\s*")),
)
_PAGE_NUMBER = re.compile(r"^(?:trang\s+\d{1,3}(?:\s*/\s*\d{1,3})?|-?\s*\d{1,3}\s*-?)$")
_END_PUNCT = re.compile(r"[.:;!?…”\")\]]$|\./\.$")


@dataclass
class Paragraph:
    start: int
    end: int
    content_start: int
    kind: str
    level: int
    index: int = 0
    parent: int | None = None
    is_table_row: bool = False
    cells: list[tuple[int, int]] = field(default_factory=list)

    def content(self, text: str) -> str:
        return text[self.content_start:self.end]


def _marker(line: str) -> tuple[str, int]:
    for kind, pattern in _MARKERS:
        m = pattern.match(line)
        if m:
            return kind, m.end()
    return "plain", 0


def split_paragraphs(text: str) -> list[Paragraph]:
    """Logical paragraphs: list items and paragraphs, with lines broken mid-sentence joined back."""
    paragraphs: list[Paragraph] = []
    pos = 0
    blank_before = True
    prev_line = ""
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        line = raw
        if not line.strip():
            blank_before = True
            continue
        if _PAGE_NUMBER.match(fold_same_length(line.strip())):
            continue
        cells = line.split("\t")
        if len(cells) >= 3:
            offs, c = [], start
            for cell in cells:
                offs.append((c, c + len(cell)))
                c += len(cell) + 1
            paragraphs.append(Paragraph(start, end, start, "row", LEVELS["plain"], is_table_row=True, cells=offs))
            blank_before, prev_line = False, line
            continue
        kind, mlen = _marker(line)
        if kind == "plain" and paragraphs and not paragraphs[-1].is_table_row:
            first = line[0]
            prev_ends = bool(_END_PUNCT.search(prev_line.rstrip()))
            join = first.islower() or (
                not blank_before and not prev_ends and (first.isdigit() or len(prev_line) >= 50)
            )
            if join:
                paragraphs[-1].end = end
                prev_line, blank_before = line, False
                continue
        paragraphs.append(Paragraph(start, end, start + mlen, kind, LEVELS[kind]))
        blank_before, prev_line = False, line
    stack: list[Paragraph] = []
    for i, p in enumerate(paragraphs):
        p.index = i
        while stack and stack[-1].level >= p.level:
            stack.pop()
        p.parent = stack[-1].index if stack else None
        if p.kind != "plain" and not p.is_table_row:
            stack.append(p)
    return paragraphs


def ancestors(paragraphs: list[Paragraph], p: Paragraph) -> list[Paragraph]:
    """The headings and list items ``p`` sits under, nearest first."""
    out = []
    parent = p.parent
    while parent is not None:
        out.append(paragraphs[parent])
        parent = paragraphs[parent].parent
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ“\"(])|(?<=\.)(?=[A-ZĐ][a-zà-ỹ])")


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clauses of a passage, split at ";" and at sentence ends, as offsets into ``text``."""
    out = []
    chunk_start = start
    segment = text[start:end]
    cuts = [m.end() for m in re.finditer(r";", segment)]
    cuts += [m.start() for m in _SENTENCE_END.finditer(segment) if not _inside_number(segment, m.start())]
    for cut in sorted(set(cuts)):
        absolute = start + cut
        if absolute > chunk_start:
            out.append((chunk_start, absolute))
            chunk_start = absolute
    if chunk_start < end:
        out.append((chunk_start, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of a passage (split at sentence ends only)."""
    out = []
    chunk_start = start
    segment = text[start:end]
    for m in _SENTENCE_END.finditer(segment):
        absolute = start + m.start()
        if absolute > chunk_start:
            out.append((chunk_start, absolute))
            chunk_start = absolute
    if chunk_start < end:
        out.append((chunk_start, end))
    return out


def _inside_number(segment: str, pos: int) -> bool:
    return pos > 0 and segment[pos - 1 : pos].isdigit() and segment[pos : pos + 1].isdigit()
