"""Which kind of report a document is, how sure that is, and why.

The evidence is added up per type (``typecues``): the head word of the title (and subtitle), else
of the file name; and the report's own vocabulary — 述职: 本人/履职/述廉; 要点 and 计划: 总体要求,
future tense; 总结: 总结如下, past figures; 汇报发言: 尊敬的…/汇报完毕; 讲话: 我讲几点意见; 对照检查:
查摆/剖析/整改措施; 工作报告: 各位代表…请予审议 — in the opening, the headings, the closing or the
whole body. So content can confirm a title, decide where the title names no type, and overrule a
title that names the wrong one. The confidence is the winner's share of the evidence (a softmax of
the scores); below ``THRESHOLD`` the type is ``未定`` and the evidence says what to add instead of
a guess. Metadata (front matter, a sidecar) always wins.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from drafter.corpus.typecues import (
    CUES,
    FIGURE,
    FUTURE,
    PAST,
    PLANS,
    REPORTED_AS,
    REPORTED_NOUN,
    TITLE_WORDS,
    TYPES,
    TitleWord,
)
from drafter.records import Heading

UNDECIDED = "未定"
THRESHOLD = 0.5  # below this share of the evidence, say 未定
TEMPERATURE = 1.0  # softmax temperature over the summed points
FILE_NAME_FACTOR = 0.7  # a file name is named by whoever saved it: a little less sure than a title
OPENING_CHARS, CLOSING_CHARS = 400, 160
SUGGESTION = "add front matter (type: …) or a <file>.meta.yaml sidecar to set the type"


@dataclass(frozen=True)
class TypeDecision:
    doc_type: str  # a type of ``typecues.TYPES``, or 未定
    source: str  # title | file name | content | undecided
    confidence: float  # the winner's share of the evidence, 0–1
    evidence: tuple[str, ...]  # what decided it, strongest first; the runner-up last
    scores: dict[str, float]

    @property
    def best_guess(self) -> str:
        return max(self.scores, key=self.scores.get) if self.scores else ""


def classify(title: str, file_stem: str, text: str, headings: tuple[Heading, ...] = (), subtitle: str = "") -> TypeDecision:
    """The type of a report from its title (and subtitle), file name, text and heading tree."""
    scores = {t: 0.0 for t in TYPES}
    found: list[tuple[float, str, str]] = []  # (points, type, evidence line)

    def add(doc_type: str, points: float, line: str) -> None:
        scores[doc_type] += points
        found.append((points, doc_type, line))

    title_text = " ".join(t for t in (title, subtitle) if t)
    head = title_head(title_text)
    title_type = ""
    if head:
        word, matched = head
        title_type = word.doc_type
        add(word.doc_type, word.weight, f"title 「{matched}」 → {word.doc_type} +{word.weight:g}")
    stem_type = ""
    if file_stem and not (head and head[0].weight >= 6):
        stem_head = title_head(file_stem)
        if stem_head:
            word, matched = stem_head
            stem_type = word.doc_type
            points = round(word.weight * FILE_NAME_FACTOR, 2)
            add(word.doc_type, points, f"file name 「{matched}」 → {word.doc_type} +{points:g}")

    body = _body(text, title, subtitle)
    regions = {
        "body": body,
        "opening": body[:OPENING_CHARS],
        "closing": body[-CLOSING_CHARS:],
        "headings": "\n".join(h.text for h in headings if h.level <= 2),
    }
    for cue in CUES:
        hits = list(cue.pattern.finditer(regions[cue.where]))[: cue.cap]
        if hits:
            points = cue.weight * len(hits)
            times = f" ×{len(hits)}" if len(hits) > 1 else ""
            add(cue.doc_type, points, f"{cue.where} 「{_snippet(hits[0].group(0))}」{times} → {cue.doc_type} +{points:g}")
    reported = REPORTED_AS.search(regions["opening"])
    if reported:
        doc_type = next(t for noun, t in REPORTED_NOUN if noun in reported.group(1))
        add(doc_type, 2.5, f"opening 「{_snippet(reported.group(0))}」 → {doc_type} +2.5")
    _tense(body, add)
    _figures(body, add)
    if title_type and title_type != "讲话" and _SPEECH_OPENING.search(regions["opening"][:120]):
        points = -round(scores[title_type] / 2, 2)
        add(title_type, points, f"opening 「{_snippet(_SPEECH_OPENING.search(regions['opening']).group(0))}」: "
                                f"a speech at a meeting, so the title's {title_type} counts half {points:g}")
    if _numbered_on(headings):
        add("工作要点", 2, "headings: 1. items numbered on across the 一、 parts → 工作要点 +2")

    return _decide(scores, found, title_type, stem_type)


def title_head(title: str) -> tuple[TitleWord, str] | None:
    """The title word that names the type, and the words it matched: the last specific one (讲话
    in 述职评议会上的讲话), the first of 甲及乙 (工作总结及工作计划), else the strongest generic one
    (情况的报告, 自评报告)."""
    both = re.search(r"(总结|述职|汇报)(及|和|暨|与)(?![^，]*?(会上|会议))", title)
    if both:
        title = title[: both.end(1)]
    specific: tuple | None = None
    generic: tuple | None = None
    for word in TITLE_WORDS:
        for m in word.pattern.finditer(title):
            if word.weight >= 6:
                key = (m.end(), m.end() - m.start())
                if specific is None or key > specific[0]:
                    specific = (key, word, m.group(0))
            else:
                key = (word.weight, m.end(), m.end() - m.start())
                if generic is None or key > generic[0]:
                    generic = (key, word, m.group(0))
    pick = specific or generic
    return (pick[1], pick[2]) if pick else None


def _decide(scores: dict[str, float], found: list[tuple[float, str, str]], title_type: str, stem_type: str) -> TypeDecision:
    live = {t: round(v, 2) for t, v in scores.items() if v > 0}
    if not live:
        return TypeDecision(UNDECIDED, "undecided", 0.0, ("no title word and no cue of any type", SUGGESTION), {})
    z = sum(math.exp(v / TEMPERATURE) for v in scores.values())
    winner = max(live, key=lambda t: (live[t], t == title_type))
    confidence = round(math.exp(scores[winner] / TEMPERATURE) / z, 3)
    mine = [line for points, t, line in sorted(found, key=lambda f: -f[0]) if t == winner]
    ranked = sorted(live.items(), key=lambda kv: -kv[1])
    runner = next(((t, v) for t, v in ranked if t != winner), None)
    tail = [f"runner-up {runner[0]} {runner[1]:g} against {live[winner]:g}"] if runner else []
    if confidence < THRESHOLD:
        guess = f"best guess {winner} ({confidence:.0%}): too close or too little to call"
        return TypeDecision(UNDECIDED, "undecided", confidence, (guess, *mine, *tail, SUGGESTION), live)
    source = "title" if winner == title_type else "file name" if winner == stem_type else "content"
    if title_type and winner != title_type:  # say why the title's word lost
        overruled = [line for _, t, line in found if t == title_type and (line.startswith("title") or "counts half" in line)]
        tail = [f"overruled: {line}" for line in overruled] + tail
    return TypeDecision(winner, source, confidence, tuple(mine + tail), live)


_SPEECH_OPENING = re.compile(r"今天[，]?(我们)?(在这里)?(隆重)?(召开|举行)[^。]{0,40}(会议|大会|会)")
# Half-width punctuation as many pages have it (, : ; ( )), full width for the cues; 12,036 stays.
_FULL_WIDTH = str.maketrans({":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"})


def _body(text: str, title: str, subtitle: str) -> str:
    lines = text.split("\n")
    skip = {t for t in (title, subtitle) if t}
    while lines and (not lines[0].strip() or lines[0].strip() in skip):
        lines.pop(0)
    body = "\n".join(line.strip() for line in lines if line.strip())
    return re.sub(r"(?<!\d),|,(?!\d)", "，", body).translate(_FULL_WIDTH)


def _figures(body: str, add) -> None:
    """Figures stated as done speak for a summary; figures stated as targets, for a plan."""
    done = target = 0
    for sentence in re.split(r"[。！？；\n]", body):
        if FIGURE.search(sentence):
            if FUTURE.search(sentence):
                target += 1
            else:
                done += 1
    if done:
        points = round(0.5 * min(done, 8), 2)
        add("工作总结", points, f"body: {done} sentences state figures as done → 工作总结 +{points:g}")
    if target >= 2:
        points = round(0.4 * min(target, 5), 2)
        for doc_type in PLANS:
            add(doc_type, points, f"body: {target} sentences state figures as targets → {doc_type} +{points:g}")


def _tense(body: str, add) -> None:
    """Past or future: a summary says what was done (了, 完成, 累计), a plan what will be (将, 要, 力争)."""
    past, future = len(PAST.findall(body)), len(FUTURE.findall(body))
    if past + future < 8:
        return
    share = past / (past + future)
    if share >= 0.6:
        add("工作总结", 1.5, f"tense: {past} past against {future} future markers → 工作总结 +1.5")
    elif share <= 0.35:
        for doc_type in PLANS:
            add(doc_type, 1.5, f"tense: {future} future against {past} past markers → {doc_type} +1.5")


def _numbered_on(headings: tuple[Heading, ...]) -> bool:
    """1. items numbered on across 一、 parts (1–3 under 一、, 4–7 under 二、): how 要点 number tasks."""
    parts, last, on = 0, 0, False
    for h in headings:
        if h.level == 1:
            parts += 1
        elif h.level == 3 and h.marker[:1].isdigit():
            n = int(re.match(r"\d+", h.marker).group(0))
            on = on or (parts >= 2 and n == last + 1 and last > 0 and _first_in_part(headings, h))
            last = n
    return on


def _first_in_part(headings: tuple[Heading, ...], item: Heading) -> bool:
    before = [h for h in headings if h.line <= item.line]
    for h in reversed(before[:-1]):
        if h.level == 3:
            return False
        if h.level == 1:
            return True
    return False


def _snippet(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= 20 else text[:19] + "…"


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_ISSUER = re.compile(
    r"([\u4e00-\u9fa5]{0,12}?(?:教育局|卫健委|人民政府|政府|委员会|党委|党组|工委|局|委|办公室|办|厅|中心|学校|医院|院|总支|支部))"
)


def find_year(*texts: str) -> int | None:
    """The first year (1900–2099) in the first text that has one."""
    for text in texts:
        m = _YEAR.search(text or "")
        if m:
            return int(m.group(1))
    return None


def find_issuer(*texts: str) -> str:
    for text in texts:
        m = _ISSUER.search(re.sub(r"(19|20)\d{2}年?", "", text or ""))
        if m:
            return m.group(1)
    return ""
