"""Reading a plan's text into a :class:`~pciplan.plandoc.model.PlanDraft`.

The text is normalised once (:func:`~pciplan.plandoc.textnorm.normalize_text`); everything is then
matched on a folded copy of the same length, so every match is also a span of the normalised text.
See docs/plandoc.md for what counts as a target and how roles are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pciplan.lib.text import fold_key

from .catalog import alias_patterns, match_group, match_subindex
from .deadlines import find_deadlines
from .errors import PlanDocError
from .header import find_doc_refs, parse_document, plan_anchor
from .model import (
    Baseline,
    IndicatorTarget,
    OverallTarget,
    PlanDraft,
    ReportingDuty,
    SubIndexTarget,
    Task,
    UnitEntry,
    UnitRef,
)
from .structure import Paragraph, ancestors, clauses, sentences, split_paragraphs
from .textnorm import clean_fragment, fold_same_length, normalize_text
from .units import looks_like_unit, normalize_unit_name, unit_key

MAX_CHARS = 2_000_000

# ---------------------------------------------------------------- patterns (on folded text)
_CMP = (r"(?:tu|tren|hon|vuot|toi thieu|it nhat|khong thap hon|khong duoi|duoi|thap hon|toi da|khong qua|"
        r"khong vuot qua|>=|≥|=>|>|<=|≤|=<|<|=)")
_NUM = r"(\d{1,3}(?:[.,]\d{1,3})?)(?![\d/])"
SCORE = re.compile(rf"(?P<pre>(?:(?:dat|len|xuong|o muc|dat muc|la)\s+)?(?:{_CMP}\s*)?)(?<![\d.,/]){_NUM}\s*diem\b(?P<post>\s+tro\s+(?:len|xuong))?")
INDICATOR = re.compile(
    rf"(?P<pre>(?:(?:dat|len|xuong|o muc|dat muc|con|la)\s+)?(?:{_CMP}\s*)?)(?<![\d.,/]){_NUM}\s*"
    r"(?P<unit>%|phan tram|ngay lam viec|ngay|gio lam viec|gio|thang)(?![a-z])(?P<post>\s+tro\s+(?:len|xuong))?"
)
RANK_POS = re.compile(
    r"(?:xep\s+(?:thu|hang(?:\s+thu)?|vi tri(?:\s+thu)?)|dung\s+(?:thu|vi tri(?:\s+thu)?|hang(?:\s+thu)?)|"
    r"(?<!\w)vi tri\s+(?:thu\s+)?|thu hang\s+(?:thu\s+)?|(?<!\w)hang\s+thu)\s*(\d{1,2})(?:\s*/\s*(\d{2}))?(?!\d)"
    r"(?P<post>\s+tro\s+len)?"
)
RANK_TOP = re.compile(r"\btop\s*(\d{1,2})\b")
RANK_GROUP_N = re.compile(
    r"(?:trong|vao|thuoc|nam trong|lot vao|dung trong)\s+(?:nhom\s+|top\s+|so\s+)?(\d{1,2})\s+(?:tinh|dia phuong|"
    r"tinh, thanh pho|tinh thanh)[^.;\n]{0,40}?(?:dan dau|dung dau|cao nhat|tot nhat|hang dau|xep hang cao)"
)
RANK_INC = re.compile(
    r"(?:tang|nang|cai thien)\s+(?:hang\s+)?(?:(tu|it nhat|toi thieu|tren)\s+)?(\d{1,2})\s+(?:bac|hang|vi tri|thu hang)\b(?P<post>\s+tro\s+len)?"
)
INC_BEFORE = re.compile(r"(?:tang|cai thien|nang|giam)\s+(?:them\s+)?(?:(?:diem\s+)?(?:so\s+)?)?(?:(?:tu|it nhat|toi thieu|tren)\s+)?$")
SINCE = re.compile(r"^\s*(?:tro\s+len\s*)?\)?\s*,?\s*(?:so\s+voi|so\s+vs)\s+(?:nam\s+|ket qua nam\s+|cung ky nam\s+)?(\d{4})")
GROUP_WORDS = r"(rat tot|tuong doi thap|trung binh kha|trung binh|kha|tot|thap)"
GROUP = re.compile(
    r"\bnhom\b(?:\s+(?:cac\s+)?(?:tinh|dia phuong)(?:,\s*thanh pho)?)?(?:\s+(?:co\s+)?chat luong\s+dieu hanh(?:\s+kinh te)?)?"
    rf"(?:\s+(?:xep hang|xep loai))?\s*[“\"'‘(]?\s*{GROUP_WORDS}\b\s*[”\"'’)]?"
)
OVERALL = re.compile(r"\bpci\b|tong diem|nang luc canh tranh cap tinh|chi so nang luc canh tranh|thu hang cua tinh|xep hang cua tinh")
YEAR = re.compile(r"\b(?:nam|cac nam|pci)\s+(\d{4})(?:\s*[-–]\s*(\d{4}))?\b")
PAST_HEADING = re.compile(r"ket qua|danh gia|tinh hinh|thuc trang")
NOT_PAST_HEADING = re.compile(r"muc tieu|nhiem vu|giai phap|to chuc thuc hien|phan cong|can dat|phan dau|ke hoach")
PAST_WORDS = re.compile(r"\b(?:da dat|dat duoc|da tang|da xep|da dung|da giu|da vuon)\b")
LEAD_HEAD = re.compile(r"^(?:don vi|co quan)\s+dau\s+m[oô]i\s*(?:[-–:]|la\b)\s*")
LEAD_IS = re.compile(r"\s+(?:la|lam)\s+(?:co quan|don vi)\s+(?:dau moi|dau moi)\b")
UNIT_COLON = re.compile(r"^(?P<name>[^:\n]{3,120}?)\s*:\s*")
VERBS = (r"chu tri|phoi hop|co trach nhiem|xay dung|to chuc|thuc hien|bao cao|tham muu|trien khai|cap nhat|"
         r"tong hop|quan triet|pho bien|ra soat|cong khai|huong dan|theo doi|chiu trach nhiem|la co quan|"
         r"la don vi|lam dau moi|lam co quan|can cu|gui|tiep tuc|tiep nhan|dam bao|nghien cuu|kiem tra|don doc|"
         r"phan cong|duy tri|nang cao|tang cuong|day manh")
UNIT_VERB = re.compile(rf"^(?:giao\s+)?(?P<name>.{{3,120}}?)\s*,?\s+(?={VERBS})")
HEAD_OF_UNIT = re.compile(r"\b(?:pho\s+)?truong\s+(phong\s+[^,;:\n]{3,90}?)\s+(?:chiu trach nhiem|chu tri|co trach nhiem)")
SUBJECT_LEAD = re.compile(
    r"^(?:(?:chu tri|phoi hop|tham muu|phan dau|dam bao|duy tri|tiep tuc|nang diem so|nang|tang|rut ngan|giam|dua|"
    r"cai thien|cac chi tieu|chi tieu|ve|trong do|gom|co|va)\b[\s,]*)+"
)
SUBJECT_TAIL = re.compile(r"(?:[\s,]+(?:dat|len|xuong|o muc|con|la|phai|duoc|tang|giam|nang))+$")
RECIPIENT = re.compile(r"(?:gui ve|gui|ve|nop ve|nop|cho)\s+(?P<name>(?:so|van phong|phong|trung tam|uy ban|ubnd|ban|thanh tra|cuc)\b[^,;.()\n]{2,80}?)(?=\s+(?:de|truoc|dinh ky|hang|theo|truoc khi)\b|[,;.()]|$)")

_OPS = {
    "tu": ">=", "tren": ">", "hon": ">", "vuot": ">", "toi thieu": ">=", "it nhat": ">=", "khong thap hon": ">=",
    "khong duoi": ">=", "duoi": "<", "thap hon": "<", "toi da": "<=", "khong qua": "<=", "khong vuot qua": "<=",
    ">=": ">=", "≥": ">=", "=>": ">=", ">": ">", "<=": "<=", "≤": "<=", "=<": "<=", "<": "<", "=": "=",
}
_ALIASES = [
    (re.compile(r"(?<![a-z0-9])" + r"\s+".join(map(re.escape, a.split())) + r"(?![a-z0-9])"), code, strong)
    for a, code, strong in alias_patterns()
]


def _operator(pre: str, post: str | None) -> str:
    words = pre.strip()
    op = "="
    for key in sorted(_OPS, key=len, reverse=True):
        if re.search(r"(?:^|\s)" + re.escape(key) + r"$", words) or words == key:
            op = _OPS[key]
            break
    if post and "len" in post:
        op = ">=" if op in ("=", ">=") else op
    elif post and "xuong" in post:
        op = "<=" if op in ("=", "<=") else op
    return op


def _num(text: str) -> float:
    return float(text.replace(",", "."))


@dataclass
class Mention:
    start: int
    end: int
    code: str
    text: str


@dataclass
class _ParaUnit:
    name: str
    span: tuple[int, int]
    role: str | None
    header: bool
    task: Task | None = None


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.folded = fold_same_length(text)
        self.refs = find_doc_refs(text, self.folded)
        self.ref_spans = [r.span for r in self.refs]
        self.doc, self.body_start = parse_document(text, self.folded, self.refs)
        self.plan_year = self.doc.year
        self.anchor = plan_anchor(self.doc)
        m = re.search(r"(?m)^noi nhan\s*:?", self.folded[self.body_start:])
        self.body_end = self.body_start + m.start() if m else len(text)
        self.paragraphs = split_paragraphs(text)
        self.body = [p for p in self.paragraphs if p.start >= self.body_start and p.start < self.body_end]
        self.item_starts = {p.content_start for p in self.paragraphs}
        for p in self.paragraphs:
            for cs, _ in p.cells:
                self.item_starts.add(cs)
        self.mentions = self._find_mentions()
        self.years = self._find_years()
        self.para_units: dict[int, _ParaUnit] = {}
        self.units_seen: list[tuple[str, tuple[int, int]]] = []
        self.draft = PlanDraft(text=text, document=self.doc)
        self._past_cache: dict[int, bool] = {}

    # ------------------------------------------------------------ mentions, years, context
    def _weak_ok(self, s: int, e: int) -> bool:
        before = self.folded[max(0, s - 30):s]
        if re.search(r"chi so(?:\s+thanh phan)?\s*[“\"‘']?\s*$", before):
            return True
        if before[-1:] in ("“", '"', "‘") and self.folded[e:e + 1] in ("”", '"', "’"):
            return True
        return any(0 <= s - st <= 2 for st in (s, s - 1, s - 2) if st in self.item_starts)

    def _find_mentions(self) -> list[Mention]:
        taken: list[tuple[int, int]] = []
        out: list[Mention] = []
        for pattern, code, strong in _ALIASES:
            for m in pattern.finditer(self.folded):
                s, e = m.span()
                if any(s < te and ts < e for ts, te in taken):
                    continue
                if not strong and not self._weak_ok(s, e):
                    continue
                taken.append((s, e))
                out.append(Mention(s, e, code, self.text[s:e]))
        for m in re.finditer(r"[“\"‘]([^”\"’\n]{4,90})[”\"’]", self.text):
            s, e = m.start(1), m.end(1)
            if any(s < te and ts < e for ts, te in taken):
                continue
            if not re.search(r"chi so(?:\s+thanh phan)?\s*$", self.folded[max(0, s - 30):s - 1]):
                continue
            code = match_subindex(self.text[s:e])
            if code:
                taken.append((s, e))
                out.append(Mention(s, e, code, self.text[s:e]))
        return sorted(out, key=lambda m: m.start)

    def _find_years(self) -> list[tuple[int, int, int]]:
        out = []
        for m in YEAR.finditer(self.folded):
            s = m.start()
            before = self.folded[max(0, s - 16):s]
            if re.search(r"so\s+voi\s*(?:cung ky\s*)?$|thang\s+\d{1,2}\s*$|giai doan\s*$", before):
                continue
            if any(a <= s < b for a, b in self.ref_spans):
                continue
            year = int(m.group(2) or m.group(1))
            out.append((s, m.end(), year))
        return out

    def _mentions_in(self, s: int, e: int) -> list[Mention]:
        return [m for m in self.mentions if s <= m.start and m.end <= e]

    def context_mention(self, p: Paragraph) -> Mention | None:
        """The sub-index a paragraph is about: its own single mention or that of the heading above."""
        for q in [p, *ancestors(self.paragraphs, p)]:
            ms = self._mentions_in(q.start, q.end)
            codes = {m.code for m in ms}
            if len(codes) == 1:
                return ms[0]
            if len(codes) > 1:
                return None
        return None

    def past_section(self, p: Paragraph) -> bool:
        if p.index in self._past_cache:
            return self._past_cache[p.index]
        result = False
        for q in [p, *ancestors(self.paragraphs, p)]:
            if q.kind in ("roman", "num", "num2") and len(q.content(self.text)) < 140:
                head = self.folded[q.content_start:q.end]
                if PAST_HEADING.search(head) and not NOT_PAST_HEADING.search(head):
                    result = True
                    break
        self._past_cache[p.index] = result
        return result

    def year_before(self, pos: int, p: Paragraph) -> int | None:
        sent = next(((s, e) for s, e in sentences(self.text, p.content_start, p.end) if s <= pos < e), None)
        for lo in ([sent[0]] if sent else []) + [p.start]:
            found = [y for s, e, y in self.years if lo <= s and e <= pos]
            if found:
                return found[-1]
        return None

    def is_past(self, pos: int, p: Paragraph, clause_start: int) -> tuple[bool, int | None]:
        year = self.year_before(pos, p)
        if year is not None and self.plan_year:
            return year < self.plan_year, year
        if self.past_section(p):
            return True, year
        if PAST_WORDS.search(self.folded[clause_start:pos]):
            return True, year
        return False, year

    # ------------------------------------------------------------ units
    def note_unit(self, name: str, span: tuple[int, int]) -> str:
        name = clean_fragment(name).strip("“”\"'")
        self.units_seen.append((name, span))
        return name

    def unit_of(self, p: Paragraph) -> _ParaUnit | None:
        if p.index in self.para_units:
            return self.para_units[p.index]
        if p.is_table_row:
            return None
        cs, ce = p.content_start, p.end
        fc = self.folded[cs:ce]
        pu = None
        m = UNIT_COLON.match(fc)
        name_span = None
        if m and looks_like_unit(self.text[cs:cs + m.end("name")]) and not re.match(r"(?:don vi|co quan)\s+dau", fc):
            name_span = (cs + m.start("name"), cs + m.end("name"))
            rest_at = cs + m.end()
        else:
            m = UNIT_VERB.match(fc)
            if m and looks_like_unit(self.text[cs + m.start("name"):cs + m.end("name")]):
                name_end = cs + m.end("name")
                tail = re.match(r"\s+(?:chu tri|phoi hop)\b", self.folded[name_end:ce])
                if tail and re.match(r"(?:cac\s+)?(?:phong,\s*)?don vi duoc giao", fc[m.start("name"):]):
                    name_end += tail.end()
                name_span = (cs + m.start("name"), name_end)
                rest_at = name_end
        if name_span:
            rest = self.folded[rest_at:ce].strip(" :,")
            head = rest[:60]
            if re.match(r"(?:co trach nhiem\s+)?(?:chu tri|lam chu tri)", head) or re.search(r"\bchu tri\b", head[:40]):
                role = "owner"
            elif re.match(r"(?:co trach nhiem\s+)?phoi hop", head):
                role = "supporting"
            elif LEAD_IS.match(" " + head):
                role = "lead"
            else:
                role = None
            is_header = self.text[cs:ce].rstrip().endswith(":") or not rest
            if is_header and rest:
                has_owner, has_support = "chu tri" in rest, "phoi hop" in rest
                role = "supporting" if has_support and not has_owner else "owner" if has_owner and not has_support else None
            name = self.note_unit(self.text[name_span[0]:name_span[1]], name_span)
            pu = _ParaUnit(name, name_span, role, is_header)
        self.para_units[p.index] = pu
        return pu

    def role_for(self, p: Paragraph) -> tuple[_ParaUnit | None, str | None]:
        """The unit a paragraph's work falls to, and its role, looking up the list it sits in."""
        own = self.unit_of(p)
        chain = [own] if own else []
        chain += [u for u in (self.unit_of(q) for q in ancestors(self.paragraphs, p)) if u]
        if not chain:
            return None, None
        unit = chain[0]
        fc = self.folded[p.content_start:p.end].lstrip()
        if own is None and re.match(r"phoi hop", fc):
            return unit, "supporting"
        if own is None and re.match(r"chu tri", fc):
            return unit, "owner"
        for u in chain:
            if u.role in ("owner", "supporting"):
                return unit, u.role
        return unit, "owner"

    # ------------------------------------------------------------ targets
    def read_targets(self) -> None:
        for p in self.body:
            if p.is_table_row:
                continue
            for cs, ce in clauses(self.text, p.content_start, p.end):
                self._read_clause(p, cs, ce)

    def _items(self, cs: int, ce: int) -> list[tuple]:
        f = self.folded
        seg = f[cs:ce]
        items: list[tuple] = []
        occupied: list[tuple[int, int]] = []

        def free(s: int, e: int) -> bool:
            return not any(s < b and a < e for a, b in occupied)

        for m in RANK_INC.finditer(seg):
            s, e = cs + m.start(), cs + m.end()
            op = ">=" if (m.group(1) or m.group("post")) else "="
            since = SINCE.match(f[e:e + 40])
            items.append((s, e, "rank_increase", int(m.group(2)), op, int(since.group(1)) if since else None))
            occupied.append((s, e))
        for m in RANK_GROUP_N.finditer(seg):
            s, e = cs + m.start(), cs + m.end()
            items.append((s, e, "rank", int(m.group(1)), None, "<="))
            occupied.append((s, e))
        for m in RANK_TOP.finditer(seg):
            s, e = cs + m.start(), cs + m.end()
            if free(s, e):
                items.append((s, e, "rank", int(m.group(1)), None, "<="))
                occupied.append((s, e))
        for m in RANK_POS.finditer(seg):
            s, e = cs + m.start(), cs + m.end()
            if free(s, e):
                op = "<=" if m.group("post") else "="
                items.append((s, e, "rank", int(m.group(1)), int(m.group(2)) if m.group(2) else None, op))
                occupied.append((s, e))
        for m in GROUP.finditer(seg):
            s, e = cs + m.start(), cs + m.end()
            group = match_group(m.group(1))
            if group and free(s, e):
                items.append((s, e, "group", group))
                occupied.append((s, e))
        for m in SCORE.finditer(seg):
            s, e = cs + m.start(), cs + m.end()
            ns = cs + m.start(2)
            if not free(ns, e):
                continue
            value = _num(m.group(2))
            if value > 100:
                continue
            op = _operator(m.group("pre"), m.group("post"))
            before = f[max(cs, s - 40):s]
            since = SINCE.match(f[e:e + 40])
            if INC_BEFORE.search(before):
                if re.search(r"giam\s+(?:them\s+)?(?:(?:tu|it nhat|toi thieu|tren)\s+)?$", before):
                    continue
                start = s - len(INC_BEFORE.search(before).group(0))
                items.append((start, e, "increase", value, op, int(since.group(1)) if since else None))
            else:
                items.append((s, e, "score", value, op, int(since.group(1)) if since else None))
            occupied.append((s, e))
        return sorted(items, key=lambda t: t[0])

    def _subject(self, p: Paragraph, cs: int, pos: int, kind: str) -> tuple[str, Mention | None] | None:
        ms = [m for m in self.mentions if cs <= m.start and m.end <= pos]
        ov = [m.start() for m in OVERALL.finditer(self.folded, cs, pos)]
        if kind == "group":
            return ("overall", None)
        if ms and (not ov or ms[-1].start > ov[-1]):
            return ("subindex", ms[-1])
        if ov:
            return ("overall", None)
        ctx = self.context_mention(p)
        if ctx is not None:
            return ("subindex", ctx)
        if kind in ("rank", "rank_increase") or OVERALL.search(self.folded, p.content_start, p.end):
            return ("overall", None)
        return None

    def _read_clause(self, p: Paragraph, cs: int, ce: int) -> None:
        f = self.folded
        if "ddci" in f[cs:ce] and "pci" not in f[cs:ce]:
            return
        items = self._items(cs, ce)
        if not items:
            self._read_indicators(p, cs, ce)
            return
        clause_text = clean_fragment(self.text[cs:ce])
        sub_targets: dict[str, SubIndexTarget] = {}
        sub_baselines: dict[str, Baseline] = {}
        last_overall_score: OverallTarget | None = None
        for item in items:
            s, e, kind = item[0], item[1], item[2]
            subject = self._subject(p, cs, s, kind)
            if subject is None:
                continue
            which, mention = subject
            past, year = self.is_past(s, p, cs)
            span = (s, e)
            if past:
                if kind in ("increase", "rank_increase"):
                    continue
                if which == "subindex":
                    b = sub_baselines.get(mention.code)
                    if b is None:
                        b = Baseline("subindex", year, mention.code, text=clause_text, span=(cs, ce))
                        sub_baselines[mention.code] = b
                        self.draft.baselines.append(b)
                    if kind == "score" and b.score is None:
                        b.score, b.spans["score"] = item[3], span
                    elif kind == "rank" and b.rank is None:
                        b.rank, b.of, b.spans["rank"] = item[3], item[4], span
                elif kind == "score":
                    self.draft.baselines.append(Baseline("score", year, score=item[3], text=clause_text, span=(cs, ce),
                                                         spans={"score": span}))
                elif kind == "rank":
                    self.draft.baselines.append(Baseline("rank", year, rank=item[3], of=item[4], text=clause_text,
                                                         span=(cs, ce), spans={"rank": span}))
                elif kind == "group":
                    self.draft.baselines.append(Baseline("group", year, group=item[3], text=clause_text,
                                                         span=(cs, ce), spans={"group": span}))
                continue
            target_year = year if year and self.plan_year and year >= self.plan_year else self.plan_year
            if which == "subindex":
                t = sub_targets.get(mention.code)
                if t is None or (kind == "score" and t.target_score is not None):
                    t = SubIndexTarget(mention.code, clean_fragment(mention.text).strip("“”\"'"), year=target_year,
                                       text=clause_text, span=(cs, ce),
                                       spans={"subindex_text": (mention.start, mention.end)})
                    sub_targets[mention.code] = t
                    self.draft.subindex_targets.append(t)
                if kind == "score":
                    t.target_score, t.operator = item[3], item[4]
                    t.spans["target_score"] = t.spans["operator"] = span
                    if item[5] and t.baseline_year is None:
                        t.baseline_year = item[5]
                elif kind == "increase":
                    if t.increase is None:
                        t.increase, t.spans["increase"] = item[3], span
                        if t.operator is None and t.target_score is None:
                            t.operator = item[4]
                    if item[5]:
                        t.baseline_year, t.spans["baseline_year"] = item[5], span
                elif kind == "rank":
                    t.target_rank, t.rank_operator, t.spans["target_rank"] = item[3], item[5], span
            else:
                if kind == "score":
                    last_overall_score = OverallTarget("score", score=item[3], operator=item[4], baseline_year=item[5],
                                                       year=target_year, text=clause_text, span=(cs, ce),
                                                       spans={"score": span, "operator": span})
                    self.draft.overall_targets.append(last_overall_score)
                elif kind == "increase":
                    if last_overall_score is not None and last_overall_score.increase is None:
                        last_overall_score.increase = item[3]
                        last_overall_score.baseline_year = item[5] or last_overall_score.baseline_year
                        last_overall_score.spans["increase"] = span
                    else:
                        self.draft.overall_targets.append(OverallTarget(
                            "score", operator=item[4], increase=item[3], baseline_year=item[5], year=target_year,
                            text=clause_text, span=(cs, ce), spans={"increase": span}))
                elif kind == "rank":
                    self.draft.overall_targets.append(OverallTarget(
                        "rank", rank=item[3], of=item[4], operator=item[5], year=target_year, text=clause_text,
                        span=(cs, ce), spans={"rank": span, "operator": span}))
                elif kind == "rank_increase":
                    self.draft.overall_targets.append(OverallTarget(
                        "rank", operator=item[4], increase=item[3], baseline_year=item[5], year=target_year,
                        text=clause_text, span=(cs, ce), spans={"increase": span}))
                elif kind == "group":
                    self.draft.overall_targets.append(OverallTarget(
                        "group", group=item[3], year=target_year, text=clause_text, span=(cs, ce),
                        spans={"group": span}))
        self._read_indicators(p, cs, ce, skip=[(i[0], i[1]) for i in items])

    def _read_indicators(self, p: Paragraph, cs: int, ce: int, skip: list[tuple[int, int]] = ()) -> None:
        f = self.folded
        for m in INDICATOR.finditer(f, cs, ce):
            s, e = m.start(), m.end()
            if any(s < b and a < e for a, b in skip):
                continue
            pre = m.group("pre").strip()
            if not pre:
                continue
            unit = m.group("unit")
            before = f[cs:s]
            if unit != "%" and (not re.search(r"\b(?:rut ngan|giam|nang|dat|xuong|con)\b", before + " " + pre)
                                or re.search(r"(?:thoi han|trong vong|trong)\s*$", before)):
                continue
            # subject: from the last ":" (or the clause start) to the comparator
            lo = max(cs, before.rfind(":") + cs + 1 if ":" in before else cs)
            subj_f = f[lo:s]
            lead = SUBJECT_LEAD.match(subj_f.strip())
            offset = len(subj_f) - len(subj_f.lstrip())
            if lead:
                offset += lead.end()
            tail = SUBJECT_TAIL.search(subj_f.rstrip())
            end = lo + (tail.start() if tail else len(subj_f.rstrip()))
            start = lo + offset
            subject = clean_fragment(self.text[start:end])
            if len(subject.split()) < 2 or re.search(r"goi thau|gia tri|muc do|kinh phi", fold_key(subject)):
                continue
            past, _ = self.is_past(s, p, cs)
            if past:
                continue
            value = _num(m.group(2))
            op = _operator(pre, m.group("post"))
            unit_out = "%" if unit in ("%", "phan tram") else clean_fragment(self.text[m.start("unit"):m.end("unit")])
            ctx = self.context_mention(p)
            owners = self._indicator_owners(p, cs, ce)
            t = IndicatorTarget(subject, op, value, unit_out, [n for n, _ in owners],
                                ctx.code if ctx else None, span=(start, e),
                                spans={"text": (start, end), "value": (s, e), "operator": (s, e),
                                       "owner_units": [sp for _, sp in owners]})
            self.draft.indicator_targets.append(t)

    def _indicator_owners(self, p: Paragraph, cs: int, ce: int) -> list[tuple[str, tuple[int, int]]]:
        out = []
        unit, role = self.role_for(p)
        if unit is not None and role == "owner":
            out.append((unit.name, unit.span))
        m = HEAD_OF_UNIT.search(self.folded, p.content_start, p.end)
        if m:
            span = (m.start(1), m.end(1))
            out.append((self.note_unit(self.text[span[0]:span[1]], span), span))
        return out

    # ------------------------------------------------------------ leads and units toward sub-indices
    def read_leads(self) -> dict[str, tuple[str, tuple[int, int]]]:
        leads: dict[str, tuple[str, tuple[int, int]]] = {}
        for p in self.body:
            if p.is_table_row:
                continue
            cs, ce = p.content_start, p.end
            fc = self.folded[cs:ce]
            m = LEAD_HEAD.match(fc)
            if m:
                rest = fc[m.end():]
                stop = re.search(r"[:;\n]|\.(?:\s|$)", rest)
                n_end = cs + m.end() + (stop.start() if stop else len(rest))
                span = (cs + m.end(), n_end)
                name = clean_fragment(self.text[span[0]:span[1]])
                if name and looks_like_unit(name):
                    ms = {x.code: x for x in self._mentions_in(cs, ce)}
                    ctx = self.context_mention(p)
                    code = next(iter(ms)) if len(ms) == 1 else (ctx.code if ctx else None)
                    if code and code not in leads:
                        leads[code] = (self.note_unit(name, span), span)
                continue
            for s, e in clauses(self.text, cs, ce):
                fcl = self.folded[s:e]
                m = LEAD_IS.search(fcl)
                if not m:
                    continue
                name_s = s + (len(fcl) - len(fcl.lstrip()))
                g = re.match(r"(?:giao\s+)", self.folded[name_s:s + m.start()])
                if g:
                    name_s += g.end()
                span = (name_s, s + m.start())
                name = clean_fragment(self.text[span[0]:span[1]])
                if not looks_like_unit(name):
                    continue
                for mention in self._mentions_in(s + m.end(), e):
                    if mention.code not in leads:
                        leads[mention.code] = (self.note_unit(name, span), span)
        return leads

    def units_toward_subindices(self) -> dict[str, dict[str, list]]:
        out: dict[str, dict[str, list]] = {}
        for p in self.body:
            if p.is_table_row:
                continue
            own = self.unit_of(p)
            if own is None or own.role == "lead":
                continue
            ctx = self.context_mention(p)
            if ctx is None:
                continue
            _, role = self.role_for(p)
            if own.role is None:
                kids = [q for q in self.body if q.parent == p.index and not q.is_table_row]
                starts = [self.folded[q.content_start:q.end].lstrip()[:12] for q in kids]
                if starts and all(st.startswith("phoi hop") for st in starts):
                    role = "supporting"
            key = "owner_units" if role == "owner" else "supporting_units"
            out.setdefault(ctx.code, {"owner_units": [], "supporting_units": []})[key].append((own.name, own.span))
        return out

    # ------------------------------------------------------------ tables
    def read_tables(self, leads: dict) -> None:
        rows = [p for p in self.body if p.is_table_row]
        i = 0
        while i < len(rows):
            header = rows[i]
            group = [header]
            j = i + 1
            while j < len(rows) and rows[j].index == group[-1].index + 1:
                group.append(rows[j])
                j += 1
            self._read_table(group)
            i = j

    def _cell(self, row: Paragraph, k: int) -> tuple[str, str, tuple[int, int]] | None:
        if k is None or k >= len(row.cells):
            return None
        s, e = row.cells[k]
        return self.text[s:e].strip(), self.folded[s:e].strip(), (s, e)

    def _read_table(self, rows: list[Paragraph]) -> None:
        head = [self.folded[s:e] for s, e in rows[0].cells]
        cols: dict[str, int] = {}
        for k, h in enumerate(head):
            if "name" not in cols and re.search(r"chi so|chi tieu|noi dung|ten", h) and not re.search(r"muc tieu|nam \d{4}", h):
                cols["name"] = k
                cols["kind"] = 1 if "chi tieu" in h else 0
            elif re.search(r"muc tieu|ke hoach|phan dau|chi tieu nam|can dat", h):
                cols.setdefault("target", k)
            elif re.search(r"dau moi", h):
                cols.setdefault("lead", k)
            elif re.search(r"chu tri", h):
                cols.setdefault("owner", k)
            elif re.search(r"phoi hop", h):
                cols.setdefault("support", k)
            elif re.search(r"diem|ket qua|thuc hien|hien trang", h):
                cols.setdefault("base", k)
        if "name" not in cols or "target" not in cols:
            return
        base_year = None
        if "base" in cols:
            y = re.search(r"(\d{4})", head[cols["base"]])
            base_year = int(y.group(1)) if y else None
        for row in rows[1:]:
            name = self._cell(row, cols["name"])
            target = self._cell(row, cols["target"])
            if not name or not target:
                continue
            code = match_subindex(name[0])
            units = {}
            for key, col in (("lead", "lead"), ("owner_units", "owner"), ("supporting_units", "support")):
                c = self._cell(row, cols.get(col))
                if c and c[0]:
                    units[key] = [(self.note_unit(part.strip(), c[2]), c[2]) for part in re.split(r";|\n", c[0]) if part.strip()]
            base = self._cell(row, cols.get("base"))
            row_text = clean_fragment(self.text[row.start:row.end].replace("\t", " | "))
            if code:
                if base:
                    bm = re.search(_NUM, base[1])
                    if bm:
                        self.draft.baselines.append(Baseline(
                            "subindex", base_year, code, score=_num(bm.group(1)), text=row_text, span=(row.start, row.end),
                            spans={"score": base[2]}))
                cmp = re.search(rf"(?P<pre>(?:(?:dat)\s+)?(?:{_CMP}\s*)?){_NUM}\s*(?:diem)?(?P<post>\s+tro\s+(?:len|xuong))?", target[1])
                if not cmp:
                    continue
                op = _operator(cmp.group("pre"), cmp.group("post"))
                t = SubIndexTarget(code, name[0], target_score=_num(cmp.group(2)), operator=op, year=self.plan_year,
                                   text=row_text, span=(row.start, row.end),
                                   spans={"subindex_text": name[2], "target_score": target[2], "operator": target[2]})
                if "lead" in units:
                    t.lead_unit, t.spans["lead_unit"] = units["lead"][0][0], units["lead"][0][1]
                for key in ("owner_units", "supporting_units"):
                    if key in units:
                        setattr(t, key, [n for n, _ in units[key]])
                        t.spans[key] = [sp for _, sp in units[key]]
                self.draft.subindex_targets.append(t)
            elif cols.get("kind") == 1:
                cmp = re.search(rf"(?P<pre>(?:(?:dat)\s+)?(?:{_CMP}\s*)?){_NUM}\s*(?P<unit>%|diem|ngay lam viec|ngay|gio)?(?P<post>\s+tro\s+(?:len|xuong))?", target[1])
                if not cmp:
                    continue
                unit = cmp.group("unit")
                owners = units.get("owner_units") or units.get("lead") or []
                self.draft.indicator_targets.append(IndicatorTarget(
                    name[0], _operator(cmp.group("pre"), cmp.group("post")), _num(cmp.group(2)),
                    "%" if unit == "%" else (clean_fragment(self.text[target[2][0] + cmp.start("unit"):target[2][0] + cmp.end("unit")]) if unit else None),
                    [n for n, _ in owners], None, span=(row.start, row.end),
                    spans={"text": name[2], "value": target[2], "operator": target[2],
                           "owner_units": [sp for _, sp in owners]}))

    # ------------------------------------------------------------ tasks and reporting duties
    def read_tasks(self) -> None:
        skip_sections = re.compile(r"muc dich|yeu cau|muc tieu|quan diem")
        tasks_by_para: dict[int, Task] = {}
        for p in self.body:
            if p.is_table_row or self.past_section(p):
                continue
            top = [q for q in [p, *ancestors(self.paragraphs, p)] if q.kind == "roman"]
            if top and skip_sections.search(self.folded[top[0].content_start:top[0].end]) and not re.search(
                    r"nhiem vu|giai phap|phan cong", self.folded[top[0].content_start:top[0].end]):
                continue
            if p.kind in ("roman",):
                continue
            fc = self.folded[p.content_start:p.end]
            if LEAD_HEAD.match(fc):
                continue
            if self._is_reporting(p):
                continue
            own = self.unit_of(p)
            if own is not None:
                if own.header:
                    if not self.text[p.content_start:p.end].rstrip().endswith(":"):
                        pass
                    rest_at = own.span[1]
                    rest = clean_fragment(self.text[rest_at:p.end])
                    if self.text[p.content_start:p.end].rstrip().endswith(":") or len(rest.split()) < 3:
                        continue
                unit, role = self.role_for(p)
                colon = UNIT_COLON.match(fc)
                start = p.content_start + colon.end() if colon and looks_like_unit(self.text[p.content_start:p.content_start + colon.end("name")]) else p.content_start
                if role == "lead":
                    role = "owner"
                task = self._task(p, start, p.end, own, role)
                tasks_by_para[p.index] = task
                continue
            parents = ancestors(self.paragraphs, p)
            if p.kind == "plain" and parents and parents[0].index in tasks_by_para:
                task = tasks_by_para[parents[0].index]
                task.span = (task.span[0], p.end)
                task.text = clean_fragment(self.text[task.span[0]:task.span[1]])
                continue
            unit, role = self.role_for(p)
            if unit is None or p.kind == "plain" and not unit.header:
                continue
            holder = next((q for q in parents if self.unit_of(q) is unit), None)
            if holder is None or (holder.index in tasks_by_para and p.kind == "plain"):
                continue
            if len(fc.split()) < 3:
                continue
            tasks_by_para[p.index] = self._task(p, p.content_start, p.end, unit, role)

    def _task(self, p: Paragraph, start: int, end: int, unit: _ParaUnit, role: str | None) -> Task:
        ctx = self.context_mention(p)
        ref = UnitRef(unit.name, normalize_unit_name(unit.name), role or "owner", span=unit.span)
        task = Task(clean_fragment(self.text[start:end]), [ref], None, ctx.code if ctx else None, span=(start, end),
                    spans={"units": [unit.span]})
        self.draft.tasks.append(task)
        return task

    def _is_reporting(self, p: Paragraph) -> bool:
        fc = self.folded[p.content_start:p.end]
        verb = re.search(r"\bbao cao\s+(?:ket qua|dinh ky|tinh hinh|tien do|hang|nam|quy|6 thang|thang|ve|gui|cho|"
                         r"ubnd|so|len|\()|gui bao cao|\bbao cao\s*$", fc)
        return bool(verb and re.search(
            r"hang quy|hang nam|hang thang|dinh ky|6 thang|bao cao nam|bao cao quy|truoc ngay", fc))

    def read_reporting(self) -> None:
        for p in self.body:
            if p.is_table_row or not self._is_reporting(p):
                continue
            unit, _ = self.role_for(p)
            rec = None
            for m in RECIPIENT.finditer(self.folded, p.content_start, p.end):
                name = clean_fragment(self.text[m.start("name"):m.end("name")])
                if looks_like_unit(name):
                    rec = (self.note_unit(name, (m.start("name"), m.end("name"))), (m.start("name"), m.end("name")))
            dls = [d for d in self.draft.deadlines if p.start <= d.span[0] < p.end]
            reporters = [unit.name] if unit else []
            for d in dls or [None]:
                duty = ReportingDuty(clean_fragment(self.text[p.content_start:p.end]), reporters,
                                     rec[0] if rec else None, d.recurrence if d else None,
                                     d.date if d else None, d.qualifier if d else None, span=(p.content_start, p.end),
                                     spans={"deadline": d.span} if d else {})
                if rec:
                    duty.spans["recipient"] = rec[1]
                if unit:
                    duty.spans["reporters"] = [unit.span]
                if d is None:
                    fc = self.folded[p.content_start:p.end]
                    duty.recurrence = ("quarterly" if re.search(r"hang quy|bao cao quy", fc) else
                                       "yearly" if re.search(r"hang nam|bao cao nam", fc) else None)
                self.draft.reporting_duties.append(duty)

    # ------------------------------------------------------------ assembling
    def run(self) -> PlanDraft:
        self.read_targets()
        leads = self.read_leads()
        self.read_tables(leads)
        toward = self.units_toward_subindices()
        bounds = [(p.start, p.end) for p in self.body]
        self.draft.deadlines = find_deadlines(self.text, self.folded, bounds, self.anchor, self.ref_spans)
        self.read_tasks()
        self.read_reporting()
        for task in self.draft.tasks:
            inside = [d for d in self.draft.deadlines if task.span[0] <= d.span[0] < task.span[1] and d.date]
            if inside:
                first = min(inside, key=lambda d: d.date)
                task.deadline, task.spans["deadline"] = first.date, first.span
        self._merge_subindex(leads, toward)
        self._merge_overall()
        self._merge_indicators()
        self._units_registry()
        return self.draft

    def _merge_subindex(self, leads: dict, toward: dict) -> None:
        merged: list[SubIndexTarget] = []
        for t in self.draft.subindex_targets:
            twin = next((m for m in merged if m.subindex_code == t.subindex_code and m.year == t.year and (
                m.target_score is None or t.target_score is None or m.target_score == t.target_score)), None)
            if twin is None:
                merged.append(t)
                continue
            for name in ("target_score", "operator", "increase", "baseline_year", "target_rank", "rank_operator", "lead_unit"):
                if getattr(twin, name) is None and getattr(t, name) is not None:
                    setattr(twin, name, getattr(t, name))
                    if name in t.spans:
                        twin.spans[name] = t.spans[name]
            for key in ("owner_units", "supporting_units"):
                for n in getattr(t, key):
                    if n not in getattr(twin, key):
                        getattr(twin, key).append(n)
        for t in merged:
            if t.lead_unit is None and t.subindex_code in leads:
                t.lead_unit, t.spans["lead_unit"] = leads[t.subindex_code]
            for key in ("owner_units", "supporting_units"):
                for name, span in toward.get(t.subindex_code, {}).get(key, []):
                    if not any(unit_key(name) == unit_key(n) for n in getattr(t, key)):
                        getattr(t, key).append(name)
                        t.spans.setdefault(key, []).append(span)
        self.draft.subindex_targets = merged

    def _merge_overall(self) -> None:
        seen, out = set(), []
        for t in self.draft.overall_targets:
            key = (t.kind, t.rank, t.of, t.score, t.group, t.operator, t.increase, t.baseline_year, t.year)
            if key not in seen:
                seen.add(key)
                out.append(t)
        self.draft.overall_targets = out

    def _merge_indicators(self) -> None:
        out: list[IndicatorTarget] = []
        for t in self.draft.indicator_targets:
            twin = next((m for m in out if fold_key(m.text) == fold_key(t.text) and m.operator == t.operator
                         and m.value == t.value and m.unit == t.unit), None)
            if twin is None:
                out.append(t)
                continue
            for i, name in enumerate(t.owner_units):
                if not any(unit_key(name) == unit_key(n) for n in twin.owner_units):
                    twin.owner_units.append(name)
                    spans = t.spans.get("owner_units") or []
                    if i < len(spans):
                        twin.spans.setdefault("owner_units", []).append(spans[i])
        self.draft.indicator_targets = out

    def _units_registry(self) -> None:
        entries: dict[str, UnitEntry] = {}
        for name, span in self.units_seen:
            key = unit_key(name)
            if not key:
                continue
            e = entries.get(key)
            if e is None:
                e = entries[key] = UnitEntry(name, normalize_unit_name(name), key, [], span=span)
            if name not in e.variants:
                e.variants.append(name)
        for e in entries.values():
            stripped = [normalize_unit_name(v) for v in e.variants]
            plain = [v for v, n in zip(e.variants, stripped, strict=True) if fold_key(v) == fold_key(n)]
            e.name = max(plain, key=len) if plain else e.variants[0]
        self.draft.units = list(entries.values())

        def display(name: str | None) -> str | None:
            if not name:
                return name
            e = entries.get(unit_key(name))
            return e.name if e else name

        for t in self.draft.subindex_targets:
            t.lead_unit = display(t.lead_unit)
            t.owner_units = _unique([display(n) for n in t.owner_units])
            t.supporting_units = _unique([display(n) for n in t.supporting_units])
        for t in self.draft.indicator_targets:
            t.owner_units = _unique([display(n) for n in t.owner_units])
        for d in self.draft.reporting_duties:
            d.reporters = _unique([display(n) for n in d.reporters])
            d.recipient = display(d.recipient)


def _unique(names: list) -> list:
    out = []
    for n in names:
        if n and n not in out:
            out.append(n)
    return out


def parse_plan_text(raw: str) -> PlanDraft:
    """Read a plan from its text. Raises :class:`PlanDocError` (only) for text that is no plan.

    >>> draft = parse_plan_text("KẾ HOẠCH\\nNâng cao PCI năm 2020\\n\\nI. MỤC TIÊU\\n"
    ...                         "Phấn đấu chỉ số Tính minh bạch đạt từ 7,0 điểm trở lên.")
    >>> [(t.subindex_code, t.target_score, t.operator) for t in draft.subindex_targets]
    [('transparency', 7.0, '>=')]
    """
    if not isinstance(raw, str):
        raise PlanDocError("Nội dung văn bản không phải là chữ.", code="unreadable")
    if len(raw) > MAX_CHARS:
        raise PlanDocError("Văn bản quá dài (hơn 2 triệu ký tự); hãy tách thành các tệp nhỏ hơn.", code="too_large")
    text = normalize_text(raw)
    letters = sum(ch.isalpha() for ch in text)
    if not text or letters == 0:
        raise PlanDocError("Tệp trống: không có chữ nào để đọc.", code="empty")
    if letters < 0.5 * len(re.sub(r"\s", "", text)):
        raise PlanDocError("Nội dung tệp không phải là văn bản đọc được (có thể là tệp nhị phân hoặc bị hỏng).",
                           code="unreadable")
    return _Reader(text).run()
