"""Copied runs: how much of a text stands verbatim in earlier material.

A run is a stretch of ≥ ``MIN_RUN`` characters that stands word for word in a source, compared
with whitespace removed and every number masked on both sides (a copied sentence with new
figures is still copied; a mask 〔数〕 or 【待补】 counts as a number). Used by the copy guard on
each drafted section (against its reference passages and the same-type reports of earlier
years) and by `drafter check` (against every report of the corpus): 「与《2023年述职》雷同 38%」.

Matching hashes the text's k-grams once and scans each source: time linear in the material,
memory in the text's size, so a draft can be checked against a whole corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from drafter.numbers.extract import extract

MIN_RUN = 15  # characters: shorter shared runs are common phrases of the genre
COPY_SHARE = 0.20  # a section with more of its characters in copied runs is drafted again
_NUMBER = "＃"
_SPACE = re.compile(r"\s+")
_MASKS = re.compile(r"〔数〕|【待补】|〔上期〕|〔上期数据[^〕]*〕|〔待核[^〕]*〕")
# Set phrases (提法) every report of the genre uses: one symbol each, so that they are not copying
# and do not join two copied fragments into one run.
SET_PHRASES = (
    "以习近平同志为核心的党中央", "习近平新时代中国特色社会主义思想", "习近平总书记重要讲话精神", "习近平总书记重要指示批示精神",
    "中央八项规定及其实施细则精神", "中央八项规定精神", "党的二十大精神", "党的二十届三中全会精神", "党的二十大和二十届历次全会精神",
    "全面从严治党", "党风廉政建设和反腐败工作", "社会主义核心价值观", "立德树人根本任务", "坚持和加强党的全面领导",
    "铸牢中华民族共同体意识", "意识形态工作责任制", "党建工作责任制", "全面从严治党主体责任", "一岗双责",
)
_SET = re.compile("|".join(sorted(map(re.escape, SET_PHRASES), key=len, reverse=True)))
_PHRASE = "◇"


@dataclass(frozen=True)
class CopiedRun:
    text: str  # as it stands in the checked text
    source: str  # the source's label (a report title, a passage's origin)
    start: int  # in the checked text
    end: int

    @property
    def chars(self) -> int:
        return len(_SPACE.sub("", self.text))

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "source": self.source, "chars": self.chars}


@dataclass(frozen=True)
class CopyReport:
    chars: int  # visible characters of the checked text
    copied: int  # of them, in copied runs (any source)
    runs: tuple[CopiedRun, ...]  # in text order
    by_source: tuple[tuple[str, float], ...]  # (label, share of the text copied from it), largest first
    min_run: int = MIN_RUN

    @property
    def share(self) -> float:
        return self.copied / self.chars if self.chars else 0.0

    def longest(self, n: int = 5) -> tuple[CopiedRun, ...]:
        return tuple(sorted(self.runs, key=lambda r: -r.chars)[:n])

    def to_json(self) -> dict[str, Any]:
        return {"chars": self.chars, "copied": self.copied, "share": round(self.share, 3), "min_run": self.min_run,
                "sources": [{"source": s, "share": round(v, 3)} for s, v in self.by_source],
                "longest": [r.to_json() for r in self.longest()]}


@lru_cache(maxsize=512)
def normalized(text: str) -> tuple[str, tuple[int, ...]]:
    """(the text without whitespace, each number, mask and set phrase one symbol; for each character
    of it, its position in ``text``)."""
    where0 = [i for i, c in enumerate(text) if not c.isspace()]
    flat = "".join(text[i] for i in where0)  # PDF line wraps must not split a phrase or a number
    replace: dict[int, tuple[int, str]] = {}  # start in flat → (end, symbol)

    def take(a: int, b: int, symbol: str) -> None:
        if not any(s < b and a < e for s, (e, _) in replace.items()):
            replace[a] = (b, symbol)

    for m in _MASKS.finditer(flat):
        take(m.start(), m.end(), _NUMBER)
    for m in _SET.finditer(flat):
        take(m.start(), m.end(), _PHRASE)
    for m in extract(flat):
        if m.kind in ("data", "date", "placeholder"):
            take(m.start, m.end, _NUMBER)
    for m in re.finditer(r"\d+(?:\.\d+)?", flat):
        take(m.start(), m.end(), _NUMBER)
    out, where = [], []
    i = 0
    while i < len(flat):
        if i in replace:
            end, symbol = replace[i]
            out.append(symbol)
            where.append(where0[i])
            i = end
            continue
        out.append(flat[i])
        where.append(where0[i])
        i += 1
    return "".join(out), tuple(where)


def copied_runs(text: str, sources: Sequence[tuple[str, str]], min_run: int = MIN_RUN) -> CopyReport:
    """Runs of ``text`` of ≥ ``min_run`` characters that stand verbatim in a source
    ((label, text) pairs), numbers masked on both sides."""
    norm, where = normalized(text)
    chars = len(norm)
    if len(norm) < min_run or not sources:
        return CopyReport(chars, 0, (), (), min_run)
    grams: dict[str, list[int]] = {}
    for i in range(len(norm) - min_run + 1):
        grams.setdefault(norm[i:i + min_run], []).append(i)
    owner: list[int | None] = [None] * len(norm)  # which source covers each character first
    per_source: list[int] = []
    for s, (_, source_text) in enumerate(sources):
        src, _ = normalized(source_text)
        covered = [False] * len(norm)
        for j in range(len(src) - min_run + 1):
            hits = grams.get(src[j:j + min_run])
            if hits:
                for i in hits:
                    covered[i:i + min_run] = [True] * min_run
        per_source.append(sum(covered))
        for i, c in enumerate(covered):
            if c and owner[i] is None:
                owner[i] = s
    runs = []
    i = 0
    while i < len(norm):
        if owner[i] is None:
            i += 1
            continue
        j = i
        votes: dict[int, int] = {}
        while j < len(norm) and owner[j] is not None:
            votes[owner[j]] = votes.get(owner[j], 0) + 1
            j += 1
        start, end = where[i], where[j - 1] + 1
        if norm[j - 1] == _NUMBER:  # a masked number at the run's end: take the whole number
            end = _number_end(text, where[j - 1])
        label = sources[max(votes, key=votes.get)][0]
        runs.append(CopiedRun(text[start:end], label, start, end))
        i = j
    copied = sum(1 for o in owner if o is not None)
    by_source = sorted(((sources[s][0], n / len(norm)) for s, n in enumerate(per_source) if n), key=lambda x: -x[1])
    return CopyReport(len(norm), copied, tuple(runs), tuple(by_source), min_run)


def _number_end(text: str, start: int) -> int:
    for m in extract(text[start:start + 40]):
        if m.start == 0:
            return start + m.end
    m = _MASKS.match(text, start) or re.compile(r"\d+(?:\.\d+)?").match(text, start)
    return m.end() if m else start + 1


def copied_sentences(report: CopyReport, text: str, limit: int = 5) -> tuple[str, ...]:
    """The sentences that hold the longest copied runs, for a 「不要照搬」 instruction."""
    out: list[str] = []
    for run in report.longest(limit * 2):
        a = max(text.rfind(c, 0, run.start) for c in "。！？；\n") + 1
        ends = [p for p in (text.find(c, run.end - 1) for c in "。！？；\n") if p >= 0]
        b = min(ends) + 1 if ends else len(text)
        sentence = text[a:b].strip()
        if sentence and sentence not in out:
            out.append(sentence)
        if len(out) >= limit:
            break
    return tuple(out)


def report_label(title: str, year: int | None = None) -> str:
    """《2023年述职》: a report as the copy report names it."""
    title = title or "无题材料"
    if year and str(year) not in title:
        title = f"{year}年{title}"
    return f"《{title}》"


def earlier_reports(data_dir: Path, doc_type: str, year: int | None) -> tuple[tuple[str, str], ...]:
    """(label, text) of the corpus reports of ``doc_type`` not later than ``year`` (any year when
    unknown): what an office's copy of last year's report would be copied from."""
    from drafter.index.catalogue import Catalogue

    path = data_dir / "catalogue.sqlite"
    if not path.is_file():
        return ()
    catalogue = Catalogue(path)
    try:
        documents = catalogue.documents()
    finally:
        catalogue.close()
    return tuple((report_label(d.title, d.year), d.text) for d in documents
                 if d.doc_type == doc_type and (year is None or d.year is None or d.year <= year))


def copy_check(text: str, data_dir: Path, min_run: int = MIN_RUN) -> CopyReport | None:
    """`drafter check`: the draft against every report of the corpus index (None without an index)."""
    from drafter.index.catalogue import Catalogue

    path = data_dir / "catalogue.sqlite"
    if not path.is_file():
        return None
    catalogue = Catalogue(path)
    try:
        documents = catalogue.documents()
    finally:
        catalogue.close()
    return copied_runs(text, [(report_label(d.title, d.year), d.text) for d in documents], min_run)

