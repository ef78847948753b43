"""Last period's report → a fact sheet for this period: one item per data number.

Each data number of the report (found with the checker's extractor, so markers, formulas,
structure counts and placeholders are left out) becomes an item with ``previous`` filled as
written, ``value`` empty for the writer, ``unit``, ``section`` (heading path), ``source``
(document and line) and, where the report gives them, ``aliases`` (a 简称 in the sentence; the
name before a duplicate was told apart by its section). The YAML loads with ``facts.load_facts`` as it is: empty values are
"to fill".

Names are short and deterministic, built from the clause around the number without a word
segmenter (see ``_name``): the noun phrase before the number once clause openers and light
verbs (共/累计/达到/开展/荣获 …) are gone — a content verb (新增/接纳/完成/创成 …) stays, since
新增学位 is the metric and 学位 alone is not — or, when the number comes first or right after a
verb, the noun after it (完成22个教育工程 → 完成教育工程). Ranks get 排名; weak words (人均,
增幅, 数量) borrow the noun of the number before them in the sentence. Duplicates are told
apart by section.

``label_previous_figures`` marks the figures of a retrieved past passage for the drafting
prompt, so that the model compares with them and never reports them as this period's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from drafter.corpus.document import load_document
from drafter.errors import InputFileError
from drafter.fileio import Unreadable
from drafter.numbers.extract import data_mentions, extract
from drafter.numbers.spans import CLAUSE_END, ITEM_END, SENTENCE_END, back, forward
from drafter.records import Document, Mention

PREVIOUS_LABEL = "上期数据，仅供对比，不得作为本期数据"
FIGURE_LABEL = "〔上期〕"  # after each figure of a past report in a prompt


@dataclass(frozen=True)
class SheetItem:
    name: str
    previous: str  # last report's value with its unit, as written (22项, 近200个, 第一)
    unit: str
    section: str  # heading path, " / "-joined; 开篇 before the first heading
    source: str  # "<doc id> 第N行"
    context: str = ""  # a short excerpt of the sentence, for a comment beside the item
    value: str = ""  # this period's value: empty, to fill
    aliases: tuple[str, ...] = ()  # other names the report uses: 简称, the name before disambiguation


@dataclass(frozen=True)
class FactSheet:
    title: str
    period: str  # this period (the report's year + 1), "" when the report names no year
    source_doc: str
    source_title: str
    items: tuple[SheetItem, ...]

    def to_json(self) -> dict:
        return {
            "title": self.title, "period": self.period, "source_doc": self.source_doc,
            "facts": [{"name": i.name, "previous": i.previous, "value": i.value, "unit": i.unit,
                       "section": i.section, "source": i.source, "aliases": list(i.aliases)}
                      for i in self.items],
        }


# --- vocabularies -----------------------------------------------------------------------------

# Light verbs say that something happened, not what was counted: dropped from names.
_LIGHT = ("组织开展", "共计", "合计", "总计", "累计", "共有", "现有", "拥有", "达到", "荣获", "获得",
          "开展", "举办", "召开", "实现", "做到", "完成了", "分别", "先后", "共同")
# Content verbs are part of the metric (新增学位, 接纳随迁子女): kept with their object.
_CONTENT = ("包干指导", "新增", "接纳", "创成", "建成", "完成", "扩容", "整改", "成立", "培训", "发展",
            "惠及", "减少", "增加", "培养", "评选", "表彰", "走访", "资助", "帮扶", "新建", "改造",
            "撤销", "获评", "入选", "招聘", "录取", "慰问", "结对", "指导", "创建", "打造", "选树",
            "推送", "发放", "救助", "处置", "查处", "约谈", "问责", "受理", "办结", "吸纳", "培育")
_VERBS = sorted(_LIGHT + _CONTENT, key=len, reverse=True)
_VERB_RE = re.compile("|".join(map(re.escape, _VERBS)))

_OPENERS = ("截至目前", "今年以来", "一年以来", "一年来", "截至", "目前", "其中", "同时", "此外", "另外",
            "今年", "全年", "本学年", "本年度", "年内", "去年", "当年", "期间", "特别", "积极", "通过",
            "全市", "全县", "全区", "全省", "全局", "全系统", "我局", "本机关", "并", "还", "也", "又",
            "已", "现", "共", "均", "各", "约", "再", "围绕", "按照")
_MODIFIERS = ("各级各类", "各类", "各级", "各项", "全市", "全县", "全区")
_TRAIL = "了共达为从由各约近超逾有计是占到至将已"
_UNIT_WORD = {"批": "批次", "轮": "轮次", "期": "期数", "次": "次数", "年": "年数"}
_RANK_TAIL = re.compile(r"(?:名列|位居|位列|居于|排名|排在|排|居|列)(?:全国|全省|全市|全县|全区|全系统)?"
                        r"(?:前列)?$")
_WEAK = ("人均", "增幅", "增速", "数量", "总数", "总量", "比例", "占比", "比重", "连续", "分", "共",
         "其中", "平均", "户均", "校均")
_FROM = re.compile(r"(?:从|由)$")
_TO = re.compile(r"^(?:提升|提高|增加|增长|上升|扩大|下降|减少|降低|降至|升至)?(?:到|至)$")
_COORD = ("和", "及", "与", "以及", "、", "或")
# Where the noun after a number ends: a verb, a particle, a preposition.
_NOUN_STOP = set("中的和与及等里在向对被获使共达为是已均都全并且从由")
_NOUN_MAX = 10
_PRED_MAX = 12
_UNIT_SUFFIX = {"小时": "时长", "分钟": "时长", "天": "天数", "个月": "月数", "%": "比例",
                "个百分点": "变化"}
_MONEY_WORDS = re.compile(r"投资|资金|经费|金额|预算|支出|收入|拨款|补助|奖励金|奖补")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CLEAN = re.compile(r"[“”‘’\"'《》「」『』〈〉\s*＊]|[X×]{1,4}")


# --- the sheet --------------------------------------------------------------------------------


def extract_sheet(doc: Document) -> FactSheet:
    """The fact sheet of one report: every data number, named, with its section and line."""
    text = doc.text
    mentions = data_mentions(text)
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    sections = _section_spans(doc, line_starts)
    drafts = _name_all(text, mentions)
    items = []
    for m, d in zip(mentions, drafts):
        line = _line_of(m.start, line_starts)
        section = _section_at(m.start, sections)
        items.append(SheetItem(
            name=d.name, previous=m.text, unit=_unit(m, d.name), section=section,
            source=f"{doc.doc_id} 第{line}行", context=_context(text, m),
            aliases=_short_names(text, m, d.name)))
    items = _unique(items)
    period = f"{doc.year + 1}年" if doc.year else ""
    title = doc.title
    if doc.year and str(doc.year) in title:
        title = title.replace(str(doc.year), str(doc.year + 1), 1)
    return FactSheet(title=title, period=period, source_doc=doc.doc_id, source_title=doc.title,
                     items=tuple(items))


def sheet_yaml(sheet: FactSheet) -> str:
    """The sheet as YAML a Chinese office writer can read and fill (comments say what to do)."""
    lines = [
        "# 数据表：value 处填写本期数值；previous 是上期报告中的数值（仅供对比）。",
        f"# 上期报告：{sheet.source_doc}" + (f"（{sheet.source_title}）" if sheet.source_title else ""),
        "# 核对：drafter facts check 本文件；value 留空的项目在 drafter check 中列为“待填”。",
        f"title: {_scalar(sheet.title)}",
        f"period: {_scalar(sheet.period)}" if sheet.period else "period:",
    ]
    if not sheet.items:
        lines.append("facts: []  # 上期报告中没有数据")
        return "\n".join(lines) + "\n"
    lines.append("facts:")
    for it in sheet.items:
        lines.append(f"  - name: {_scalar(it.name)}")
        lines.append(f"    previous: {_scalar(it.previous)}")
        lines.append(f"    value: {_scalar(it.value)}" if it.value else "    value:")
        lines.append(f"    unit: {_scalar(it.unit)}" if it.unit else "    unit:")
        lines.append(f"    section: {_scalar(it.section)}")
        lines.append(f"    source: {_scalar(it.source)}")
        if it.aliases:
            lines.append("    aliases: [" + ", ".join(_scalar(a) for a in it.aliases) + "]")
        if it.context:
            lines.append(f"    # 原文：{it.context}")
    return "\n".join(lines) + "\n"



def _scalar(s: str) -> str:
    """Plain when YAML reads it back as the same string, else a JSON (= YAML) quoted string."""
    import yaml

    if s and "#" not in s and ": " not in s and s[0] not in "-?:,[]{}&*!|>'\"%@`" and s == s.strip():
        try:
            if yaml.safe_load(f"k: {s}") == {"k": s}:
                return s
        except yaml.YAMLError:
            pass
    return json.dumps(s, ensure_ascii=False)


# --- positions --------------------------------------------------------------------------------


def _line_of(pos: int, line_starts: list[int]) -> int:
    import bisect

    return bisect.bisect_right(line_starts, pos)


def _section_spans(doc: Document, line_starts: list[int]) -> list[tuple[int, str]]:
    """(start offset, heading path) of every block, in order."""
    spans = []
    for b in doc.blocks:
        base = line_starts[b.line - 1] if 0 < b.line <= len(line_starts) else 0
        at = doc.text.find(b.text[:40], base) if b.text else -1
        path = " / ".join(b.heading_path) if b.heading_path else "开篇"
        spans.append((at if at >= 0 else base, path))
    spans.sort(key=lambda s: s[0])
    return spans


def _section_at(pos: int, spans: list[tuple[int, str]]) -> str:
    section = "开篇"
    for start, path in spans:
        if start > pos:
            break
        section = path
    return section


def _context(text: str, m: Mention, width: int = 24) -> str:
    a = m.start
    while a > 0 and m.start - a < width and text[a - 1] not in SENTENCE_END:
        a -= 1
    b = m.end
    while b < len(text) and b - m.end < width // 2 and text[b] not in SENTENCE_END:
        b += 1
    return ("…" if a > 0 and text[a - 1] not in SENTENCE_END else "") + text[a:b].strip()


def _unit(m: Mention, name: str) -> str:
    if m.unit == "名" and "ordinal" in m.qualifier:
        return ""  # a rank: 第一 carries no unit to fill
    if not m.unit and _MONEY_WORDS.search(name):
        return "元"  # 投资12.73亿: money, written without 元
    return m.unit


# --- names ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Named:
    name: str
    noun: str  # the bare counted thing, for a following weak word (人均 …) or bare predicate
    verb: str  # the clause's content verb, inherited by a coordinated number (1所学校和2所幼儿园)
    weak: bool = False  # a last-resort name: a following number in the clause may name it better


def _name_all(text: str, mentions: list[Mention]) -> list[_Named]:
    out: list[_Named] = []
    for i, m in enumerate(mentions):
        prev = mentions[i - 1] if i else None
        prev_named = out[-1] if out else None
        same_sentence = prev is not None and prev.end > back(text, m.start, SENTENCE_END)
        out.append(_name(text, m, prev if same_sentence else None, prev_named if same_sentence else None))
        if same_sentence and prev is not None and _TO.match(_clean(text[prev.end:m.start])) and \
                _FROM.search(text[back(text, prev.start, CLAUSE_END):prev.start]):
            # 从12.4%提升到62.55%: the later figure is the indicator, the earlier its starting point
            base = out[-2]
            out[-1] = _Named(base.name, base.noun, base.verb)
            out[-2] = _Named(base.name + "（起点）", base.noun, base.verb)
    for i, (m, n) in enumerate(zip(mentions, out)):
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if (n.weak or len(n.name) < 2) and nxt is not None and not out[i + 1].weak and \
                nxt.start <= forward(text, m.end, ITEM_END):
            # 分两批共16位中小学校长…: the next number of the clause says what is counted
            word = _UNIT_WORD.get(m.unit, m.unit)
            out[i] = _Named(out[i + 1].noun + word, out[i + 1].noun, "")
    return [n if len(n.name) >= 2 else _Named(_fallback(text, m), n.noun, n.verb, True)
            for n, m in zip(out, mentions)]


def _clean(s: str) -> str:
    return _CLEAN.sub("", s)


def _strip_openers(s: str) -> str:
    changed = True
    while changed and s:
        changed = False
        for w in _OPENERS:
            if s.startswith(w):
                s, changed = s[len(w):], True
    return s


def _strip_modifiers(s: str) -> str:
    for w in _MODIFIERS:
        if s.startswith(w) and len(s) > len(w) + 1:
            return s[len(w):]
    return s


def _without_numbers(s: str) -> str:
    """A name must hold no data number: the checker would take it as supplied."""
    for m in reversed(extract(s)):
        if m.kind in ("data", "date"):
            s = s[:m.start] + s[m.end:]
    return s


def _weak(subject: str) -> str:
    for w in _WEAK:
        if subject.endswith(w) and len(subject) - len(w) <= 4:
            return w
    return ""


def _topic(text: str, clause_start: int) -> str:
    """The thing the previous comma clause ends on (…等内审制度，做到三年一周期 → 内审制度)."""
    end = back(text, clause_start, "，,。；;\n")
    if end == 0 or text[end - 1] not in "，,":
        return ""
    start = back(text, end - 1, SENTENCE_END + "，,")
    tail = _clean(_without_numbers(text[start:end - 1]))
    tail = re.split(r"[等的、和与及]", tail)[-1]
    return tail[-8:] if len(tail) >= 2 else ""


def _name(text: str, m: Mention, prev: Mention | None, prev_named: _Named | None) -> _Named:
    clause_start = back(text, m.start, ITEM_END)
    in_clause = prev is not None and prev.end > clause_start
    raw = text[max(clause_start, prev.end) if in_clause and prev is not None else clause_start:m.start]
    phrase = _clean(_without_numbers(_SHORT.sub("", raw)))  # （以下简称规上企业） becomes an alias
    ordinal = "ordinal" in m.qualifier
    if ordinal:
        phrase = _RANK_TAIL.sub("", phrase)
    coordinated = in_clause and (not phrase or phrase.endswith(_COORD))
    phrase = _strip_openers(phrase.rstrip("".join(_COORD)))
    inherit_verb = prev_named.verb if in_clause and prev_named is not None else ""
    noun_after, pred_after = _split_noun(_after(text, m))

    hits = list(_VERB_RE.finditer(phrase))
    if hits:
        verb = hits[-1].group()
        subject, rest = phrase[:hits[-1].start()], phrase[hits[-1].end():]
    else:
        verb, subject, rest = "", phrase, ""
    subject = subject.rstrip(_TRAIL)
    rest = _strip_modifiers(rest.rstrip(_TRAIL))
    modifier_end = (rest or subject).endswith(("的", "等", "中"))
    weak = "" if rest else _weak(subject)
    name = noun = ""
    is_weak = False
    if rest and not modifier_end:
        noun = rest
        name = verb + rest if verb in _CONTENT else rest
    elif weak == "连续" and (noun_after or pred_after):
        name = noun = "连续" + (noun_after + pred_after)[:16]
    elif weak and prev_named is not None:
        noun = prev_named.noun or prev_named.name
        if weak in ("人均", "平均", "户均", "校均"):
            name = weak + noun + _UNIT_SUFFIX.get(m.unit, "")
        else:
            name = noun + weak
    elif (subject and (not verb or (verb in _LIGHT and not noun_after))  # 规模以上工业企业达到386家
          and not weak and not modifier_end and not coordinated):
        name = noun = _strip_modifiers(subject)
    else:  # the number comes first or right after its verb: what follows names it
        v = verb or (inherit_verb if coordinated or modifier_end else "")
        verb = v
        if noun_after:
            noun = noun_after
            name = v + noun_after if v in _CONTENT else noun_after
            if not v and pred_after and _starts_with_verb(pred_after) and len(pred_after) <= _PRED_MAX:
                name = noun_after + pred_after
        elif pred_after and prev_named is not None and (coordinated or not in_clause):
            noun = prev_named.noun or prev_named.name
            name = noun + pred_after[:14] + (_UNIT_SUFFIX.get(m.unit, "") if m.unit == "%" else "")
        else:
            topic = _topic(text, clause_start)
            if topic and pred_after:
                name, noun, is_weak = f"{topic}（{pred_after[:8]}）", topic, True
            else:
                name, is_weak = pred_after[:14], True
    if ordinal and name and not name.endswith(("排名", "名次", "位次")):
        name += "排名"
    if m.unit == "周年" and name and not name.endswith("周年"):
        name += "周年"
    name = _strip_modifiers(_clean(name)).strip("，、；：。 ")
    return _Named(name, noun or name, verb if verb in _CONTENT else "", is_weak)


def _after(text: str, m: Mention) -> str:
    """The clause after the number, up to the next number or clause end."""
    end = forward(text, m.end, CLAUSE_END)
    s = text[m.end:end]
    for n in extract(s):
        if n.kind == "data":
            s = s[:n.start]
            break
    return _clean(s)


def _split_noun(after: str) -> tuple[str, str]:
    """(noun, predicate) of the words after a number: 党组织 | 获评市级先进党支部示范点."""
    s = after.lstrip("的")
    if s[:1] and s[0] in "一二两三四五六七八九十":
        return "", s.strip("、，")  # 三年一周期: a rate, not a noun
    i = 0
    while i < len(s) and i < _NOUN_MAX:
        if (s[i] in _NOUN_STOP and (i or s[i] != "中")) or not _CJK.match(s[i]) or _VERB_RE.match(s, i):
            break
        i += 1
    noun = s[:i] if i < _NOUN_MAX or i == len(s) else ""
    pred = s[len(noun):].strip("、，")
    if pred.startswith(("分别", "先后", "均", "都")):
        pred = re.sub(r"^(?:分别|先后|均|都)", "", pred)
    return noun, pred


def _starts_with_verb(s: str) -> bool:
    return bool(_VERB_RE.match(s)) or s[:1] in "向在获被对为"


def _fallback(text: str, m: Mention) -> str:
    """The last words before the number, when the rules found no name."""
    a = back(text, m.start, CLAUSE_END)
    words = _clean(_without_numbers(text[a:m.start])).strip("，、")
    return (words[-10:] or _clean(text[m.end:forward(text, m.end, CLAUSE_END)])[:10] or m.text) or "数据"


_SHORT = re.compile(r"[（(](?:以下)?简称[“\"「]?([^”\"」）)，,、]{2,12})[”\"」]?[）)]")


def _short_names(text: str, m: Mention, name: str) -> tuple[str, ...]:
    """简称 the report gives the indicator in its sentence (规模以上工业企业（以下简称规上企业）)."""
    a, b = back(text, m.start, SENTENCE_END), forward(text, m.end, SENTENCE_END)
    out = []
    for x in _SHORT.finditer(text, a, b):
        short = _clean(x.group(1))
        long_ = _clean(text[back(text, x.start(), CLAUSE_END):x.start()])
        if short and short != name and (short in name or _overlap(long_, name) >= 0.6):
            out.append(short)
    return tuple(dict.fromkeys(out))


def _overlap(a: str, b: str) -> float:
    return len(set(a) & set(b)) / len(set(b)) if b else 0.0


def _unique(items: list[SheetItem]) -> list[SheetItem]:
    """Duplicate names get their section's last heading; still equal ones a running number. The
    name as the report wrote it stays an alias, so a draft that writes it binds to either."""
    counts: dict[str, int] = {}
    for it in items:
        counts[it.name] = counts.get(it.name, 0) + 1
    out = []
    for it in items:
        if counts[it.name] > 1:
            short = _short_section(it.section)
            it = SheetItem(f"{it.name}（{short}）" if short else it.name, it.previous, it.unit,
                           it.section, it.source, it.context, it.value,
                           tuple(dict.fromkeys((it.name,) + it.aliases)) if short else it.aliases)
        out.append(it)
    seen: dict[str, int] = {}
    final = []
    for it in out:
        n = seen.get(it.name, 0) + 1
        seen[it.name] = n
        if n > 1:
            it = SheetItem(f"{it.name}（{n}）", it.previous, it.unit, it.section, it.source,
                           it.context, it.value, tuple(dict.fromkeys((it.name,) + it.aliases)))
        final.append(it)
    return final


def _short_section(section: str) -> str:
    if not section or section == "开篇":
        return "开篇"
    last = section.split(" / ")[-1]
    last = re.sub(r"^(?:[一二三四五六七八九十]+[、是]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、])", "", last)
    return _clean(last.split("，")[0].split(",")[0])[:10]


# --- drafting: last period's figures in a retrieved passage ----------------------------------


def label_previous_figures(passage: str, source_year: int | None = None,
                           current_year: int | None = None) -> str:
    """Mark every data number of a past report's passage as last period's figure.

    Returns the passage with a header line (〔上期数据，仅供对比，不得作为本期数据〕, naming the
    year when known) and each data number followed by 〔上期〕. Markers, formulas, dates and
    placeholders are left alone. A passage of the current period (same year) is returned as it
    is; so is one without data numbers. Pure: the drafting engine calls it on each retrieved
    fact passage before putting it into the prompt.
    """
    if source_year is not None and current_year is not None and source_year >= current_year:
        return passage
    mentions = data_mentions(passage)
    if not mentions:
        return passage
    out = passage
    for m in reversed(mentions):
        out = out[:m.end] + FIGURE_LABEL + out[m.end:]
    when = f"（{source_year}年材料）" if source_year else ""
    return f"〔{PREVIOUS_LABEL}{when}〕\n{out}"


class DocumentNotFound(InputFileError):
    meaning = "no such corpus document or report file"


def resolve_report(doc: str, documents: list[Document], corpus_dir: Path | None = None) -> Document:
    """``doc`` as a report: an indexed document id (or its file name), else a file path.
    An unknown id names the closest ids."""
    by_id = {d.doc_id: d for d in documents}
    if doc in by_id:
        return by_id[doc]
    by_name = [d for d in documents if Path(d.doc_id).name == doc]
    if len(by_name) == 1:
        return by_name[0]
    for path in (Path(doc), (corpus_dir / doc) if corpus_dir is not None else None):
        if path is not None and path.is_file():
            return _load_file(path)
    import difflib

    ids = sorted(by_id)
    if not ids:
        raise DocumentNotFound(f"{doc}: no such file, and the corpus index is empty "
                               "(run `drafter ingest`, or give the path of a report file)")
    close = difflib.get_close_matches(doc, ids, n=3, cutoff=0.2)
    hint = "closest: " + ", ".join(close) if close else "known: " + ", ".join(ids[:5]) + ("…" if len(ids) > 5 else "")
    raise DocumentNotFound(f"{doc}: not a document of the index nor a file ({hint})")


def _load_file(path: Path) -> Document:
    try:
        return load_document(path, path.parent)
    except Unreadable as e:
        raise InputFileError(f"{path}: cannot read this report ({e})") from e
    except OSError as e:
        raise InputFileError(f"{path}: cannot read ({e.strerror})") from e
