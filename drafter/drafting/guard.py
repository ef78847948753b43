"""What a model answer may contain: the section's own prose, nothing else.

Instruction models of every size echo their prompt, add Markdown, headings and 「好的，以下是…」,
run on into the next section and loop on a sentence. ``guard_answer`` takes any answer (draft,
regenerate, repair, fill) and returns the prose with every removal recorded:

- preambles and closing remarks (好的，以下是… / 希望对您有帮助), Markdown (#, **, >, bullets, fences),
  list numbering the section prompt forbids (1. 2、 （1） ①), bracket labels (【正文】, 正文：);
- prompt echo: facts-block lines (名称：值；上期为…（仅供对比…）), section paths (一、… > （二）…), the
  prompt's own sentences (runs of its instructions), passage headers, a reference passage dumped whole;
- headings: the section's own and the title are dropped, a heading of another section of the
  outline cuts the answer there (the spill), a heading of the model's own is rejected;
- loops: a sentence that repeats an earlier one with a word changed (same skeleton) is cut to its
  first occurrence, and so is a clause said twice.

An answer that is nothing but removed material, or mostly loops, is ``failed``: the caller asks
once more, then marks the section for rewriting; it is never saved. Names of other units, people
and places that stand in the reference material and not in this office's own words are
``flagged`` (reported, not removed). Pure functions; the tables in tests/test_guard.py pin them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Iterable, Sequence

from drafter.corpus.structure import heading_marker
from drafter.outline.skeleton import similarity

MASK = "〔数〕"
PLACEHOLDER = "【待补】"
FIGURE_LABEL = "〔上期〕"

# kind → (how the terminal names it, its unit)
KINDS: dict[str, tuple[str, str]] = {
    "echo": ("提示词回显", "处"),
    "heading": ("标题", "行"),
    "spill": ("下一节内容", "段"),
    "loop": ("重复句", "句"),
    "preamble": ("开场白", "句"),
    "closing": ("结束语", "句"),
    "salutation": ("称谓", "行"),
    "markdown": ("Markdown 标记", "处"),
    "numbering": ("编号", "处"),
    "label": ("标签", "处"),
    "english": ("英文词", "处"),
}

ECHO_RUN = 8  # characters: a run this long of the prompt's own words is an echo ...
ECHO_SHARE = 0.5  # ... when such runs cover this share of a sentence
LOOP_SIMILAR = 0.75  # two sentences this alike (numbers masked) are one said twice
LOOP_MIN_CHARS = 10  # shorter sentences (一是、谢谢) may repeat
LOOP_FAILED = 0.5  # loops this share of an answer's prose: the call failed
FRAGMENT_CHARS = 20  # fewer characters than this left beside much more removed: no section
CLAUSE_MIN_CHARS = 10  # a clause said twice word for word, this long or longer, is a loop
PASSAGE_DUMP = 0.8  # a line holding this share of a reference passage (masks and all) is the passage echoed
PASSAGE_VERBATIM = 0.97  # ... or this share of it, word for word, without its masks
HEADING_SIMILAR = 0.5  # bigram overlap above which a heading-like line is that outline heading
HEADING_MAX_CHARS = 40

# Words that only a prompt talks about: a sentence holding one is about the prompt, not the work.
ECHO_MARKERS = (
    "本节可用数据", "参考材料>", "<参考材料", "〈参考材料", "全文提纲", "已写章节摘要", "本节要点", "【问题清单】", "【原文】",
    "【这一节】", "仅供对比", "不得作为本期数据",
    "修改后的整节正文", "没有数据来源", "照抄填入", "当前一节", "写作者的要求", "不要照搬", "【片段", "；上期为",
    "上期数据，仅供", "本节目标字数", "不写标题", "Markdown", "markdown",
)
_PREAMBLE = re.compile(
    r"^(?:(?:好的|好|当然|没问题|明白了?|收到|可以)(?:[，,！!。．~～]+\s*|$)"
    r"|(?:以下|下面)(?:是|为|就是)[^。\n]{0,50}?[：:。]\s*"
    r"|(?:根据|按照|结合)(?:您|你)(?:提供|给出|的要求|所给)[^。\n，,]{0,40}?[，,：:]\s*"
    r"|这是[^。\n]{0,40}?(?:正文|内容|草稿|初稿)[：:。]\s*"
    r"|(?:我|我们)(?:将|来|会)?(?:为您|为你)[^。\n]{0,40}?[：:。]\s*)"
)
_CLOSING = re.compile(
    r"希望(?:以上|这些|这篇|本节)?[^。\n]{0,20}(?:帮助|满意|有用|需要|参考)|如(?:需|有需要|果需要|您需要)(?:修改|调整|补充|进一步|其他)"
    r"|请(?:随时)?告诉我|请随时|仅供参考|以上(?:是|为|即)(?:本节|该节|这一节|修改后|修改|全部|完整)|^（?全文完）?$|^（完）$"
    r"|^(?:注|说明|备注|提示)[：:]|字数[：:约]|^[（(]约?\d+字[)）]$"
)
# A line that only addresses the readers (尊敬的各位领导：) belongs to a 〔称谓〕 part, not to a section;
# so do a letter's closing words (此致 / 敬礼), which a report never ends with.
_SALUTATION = re.compile(r"^(?:尊敬的[^。！？；\n]{0,30}|各位(?:领导|代表|委员|同事|同志)[^。！？；\n]{0,20}|同志们)[：:，,！!]?$")
_LETTER_CLOSING = re.compile(r"^(?:此致|敬礼|此致敬礼)[！!。，,]?$")
# 「以下是我一年来的工作总结：」 anywhere in an answer: the model announcing its text, not the text
# (下面将…汇报如下 is a report's own way of announcing its parts, and stays).
_ANNOUNCE = re.compile(r"^(?:以下|下面)(?:是|为|就是)[^。！？\n]{0,40}[：:。]$")
_NAME_VALUE = re.compile(r"([^，,。；;！？!?：:]{2,30})[：:](.{1,16})")  # a 名称：值 line, as the facts block lists them
_STRAY_ENGLISH = re.compile(r"(?<=[\u4e00-\u9fff])\s?([a-z]{3,})\s?(?=[\u4e00-\u9fff，。；、])")
_LABEL_LINE = re.compile(r"^[【〔\[［]([^】〕\]］]{1,14})[】〕\]］][:：]?$")
_LABEL_PREFIX = re.compile(r"^(?:[【〔\[［](?:正文|内容|本节正文|本节|段落|修改后|修改稿|输出|回答)[】〕\]］][:：]?|【(?:开头|结尾|称谓|结束语)(?:部分)?】[:：]?|(?:本节)?正文[：:]|(?:修改后(?:的)?(?:正文|全文)?)[：:])\s*")
_KEEP_BRACKETS = ("待补", "待核", "数", "上期")  # the text's own marks, judged elsewhere
_COMPLETION_LINE = re.compile(r"^(?:标题|本节数据)[：:∶]")
_MD_HEADING = re.compile(r"^#{1,6}\s*")
_MD_QUOTE = re.compile(r"^>\s*")
_MD_BULLET = re.compile(r"^[-*+•·]\s+")
_MD_FENCE = re.compile(r"^```")
# Bold opens at a line start or after punctuation; a ** after a word is a mask (**中学, 尊敬的**书记).
_MD_BOLD = re.compile(r"(^|[。；：:！？\s])(?:\*\*([^*\n]+?)\*\*|__([^_\n]+?)__)")
_LIST_MARK = re.compile(r"^(?:\d{1,2}[.．、)）](?!\d)|[（(]\d{1,2}[）)]|[①②③④⑤⑥⑦⑧⑨⑩])\s*")
_PATH_LINE = re.compile(r"\S\s*(?:>|›|＞|»)\s*\S")
_SENTENCE = re.compile(r"[^。！？；!?;]*(?:[。！？；!?;]+[”’」』）)]*|$)")
_CLAUSE = re.compile(r"[^，,；;。！？!?]*(?:[，,；;。！？!?]|$)")
_DIGITS = re.compile(r"[0-9０-９.．%％]+|[零一二两三四五六七八九十百千万亿]+(?=[个项名人次场所家件条余多])")
_SPACE = re.compile(r"\s+")
_EMPTY_SLOT = re.compile(r"[（(]\s*无\s*[）)]")  # how the prompt says a block is empty: never prose


@dataclass(frozen=True)
class Removal:
    kind: str  # a key of KINDS
    text: str  # what was removed, as the model wrote it (cut to 120 characters)


@dataclass(frozen=True)
class GuardContext:
    """What an answer is judged against: the section, the outline, and the prompt it was given."""

    own_path: tuple[str, ...]  # this section's headings, from the top
    other_headings: tuple[str, ...] = ()  # every other heading of the outline
    title: str = ""
    prompt_text: str = ""  # the prompt's own words (instructions, labels): never the material it quoted
    prompt_lines: tuple[str, ...] = ()  # whole lines the model was shown (facts block, summary, path)
    fact_lines: tuple[tuple[str, str], ...] = ()  # (name, value) of the facts the prompt listed
    passages: tuple[str, ...] = ()  # reference material shown
    office_words: str = ""  # this office's own text (facts, title, outline): names found here are ours
    lists_forbidden: bool = True  # the section prompt forbids 1. 2. lists
    earlier_openings: tuple[str, ...] = ()  # the first sentences of the sections written before this one


@dataclass(frozen=True)
class Guarded:
    text: str
    removals: tuple[Removal, ...]
    failed: str = ""  # why this answer is no section ("" when it is one)
    flagged_names: tuple[str, ...] = ()  # names from the reference material that are not this office's

    def counts(self) -> dict[str, int]:
        return dict(Counter(r.kind for r in self.removals))


def summary(removals: Iterable[Removal]) -> str:
    """「提示词回显 2 处、标题 1 行」: what was removed, in KINDS order; "" when nothing was."""
    counts = Counter(r.kind for r in removals)
    return "、".join(f"{KINDS[k][0]} {counts[k]} {KINDS[k][1]}" for k in KINDS if counts.get(k))


def _cut(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 120 else text[:119] + "…"


def bare(heading: str) -> str:
    """A heading without numbering, Markdown, brackets, a part's explanation or end punctuation."""
    h = _MD_HEADING.sub("", heading.strip()).replace("**", "").strip()
    if h.startswith(("〔", "【")):
        h = h.strip("〔〕【】")
    h = re.sub(r"（[^）]*）$", "", h) if h.startswith(("开头", "结尾", "称谓", "总体")) else h
    found = heading_marker(h)
    if found:
        h = h[len(found[1]):]
    else:
        h = re.sub(r"^第[一二三四五六七八九十]+部分[，、：:\s]*", "", h)
    h = h.strip("〔〕【】[]：:。；， ")
    return h[:-2] if h in ("开头部分", "结尾部分", "称谓部分") else h


def _same_heading(line: str, heading: str) -> bool:
    a, b = bare(line), bare(heading)
    if not a or not b:
        return False
    if a == b or (len(b) >= 4 and a.startswith(b) and len(a) <= len(b) + 4):
        return True
    return similarity(a, b) >= HEADING_SIMILAR


def _heading_like(line: str, was_markdown: bool) -> bool:
    """A line that stands as a heading: Markdown, or numbered/bold and short without a sentence inside."""
    if not line or len(line) > HEADING_MAX_CHARS:
        return False
    inner = line.rstrip("。：:")
    if any(c in inner for c in "。！？；!?;"):
        return False
    found = heading_marker(line)
    if line.endswith("。") and any(c in line for c in "，,"):
        return was_markdown  # 一、个人履职情况方面，我们做了工作。 is a sentence
    if found and found[0] >= 3 and any(c in line for c in "，,。"):
        return was_markdown  # 1. 持续做好…，…。 is a list item, not a heading
    return was_markdown or found is not None or bool(re.match(r"^第[一二三四五六七八九十]+部分", line))


def _masked(text: str) -> str:
    """For comparing skeletons: whitespace gone, numbers one symbol."""
    return _DIGITS.sub("#", _SPACE.sub("", text.replace(MASK, "#").replace(PLACEHOLDER, "#")))


def _grams(text: str, n: int) -> set[str]:
    return {text[i:i + n] for i in range(len(text) - n + 1)}


def _covered_share(sentence: str, grams: set[str], n: int) -> float:
    s = _SPACE.sub("", sentence)
    if len(s) < n or not grams:
        return 0.0
    covered = [False] * len(s)
    for i in range(len(s) - n + 1):
        if s[i:i + n] in grams:
            covered[i:i + n] = [True] * n
    return sum(covered) / len(s)


def _norm_line(line: str) -> str:
    return _SPACE.sub("", _MD_BULLET.sub("", line.strip())).strip("“”\"'。；")


class _Judge:
    """The context, prepared once per answer."""

    def __init__(self, ctx: GuardContext) -> None:
        self.ctx = ctx
        self.prompt_grams = _grams(_SPACE.sub("", ctx.prompt_text), ECHO_RUN)
        self.prompt_lines = {n for n in (_norm_line(x) for x in ctx.prompt_lines) if len(n) >= 6}
        self.fact_patterns = [
            re.compile(re.escape(name) + r"\s*[：:]\s*" + (re.escape(value) if value else ""))
            for name, value in ctx.fact_lines if name
        ]
        self.fact_values = {_norm_line(value) for _, value in ctx.fact_lines if value}
        # a passage's paragraphs: a line that reproduces one whole is the material echoed
        self.passages = [q for p in ctx.passages for q in (_SPACE.sub("", x) for x in p.split("\n")) if len(q) >= 40]

    def echo(self, sentence: str) -> bool:
        s = sentence.strip()
        if not s:
            return False
        if any(marker in s for marker in ECHO_MARKERS) or any(p.search(s) for p in self.fact_patterns):
            return True
        if _norm_line(s) in self.prompt_lines or _EMPTY_SLOT.fullmatch(s):
            return True
        pair = _NAME_VALUE.fullmatch(_norm_line(s))  # 「…的数量：5个」: a fact's value under a name of its own
        if pair and pair.group(2) in self.fact_values:
            return True
        return _covered_share(s, self.prompt_grams, ECHO_RUN) >= ECHO_SHARE

    def fact_label(self, line: str) -> str:
        """The 「名称：」 a line starts with when the name is a listed fact's (the colon included);
        "" when its value follows (the whole line is the facts block echoed, judged by ``echo``)."""
        if any(p.match(line) for p in self.fact_patterns):
            return ""
        for name, _ in self.ctx.fact_lines:
            if name and line.startswith(name):
                rest = line[len(name):]
                colon = len(rest) - len(rest.lstrip(" ：:"))
                if colon and rest[:colon].strip() in ("：", ":"):
                    return line[: len(name) + colon]
        return ""

    def passage_dump(self, line: str) -> bool:
        """A line that reproduces a reference passage nearly whole: the material echoed, not prose."""
        s = _SPACE.sub("", line).replace(PLACEHOLDER, MASK)
        if len(s) < 40:
            return False
        # With its masks or 〔上期〕 labels it is the material itself; with figures of its own filled
        # in it is copying, which the copy guard weighs — unless it is the paragraph word for word.
        share = PASSAGE_DUMP if (MASK in s or FIGURE_LABEL in s) else PASSAGE_VERBATIM
        for p in self.passages:
            if len(s) >= 0.6 * len(p):
                match = SequenceMatcher(None, s, p, autojunk=False)
                if sum(b.size for b in match.get_matching_blocks()) >= share * len(p):
                    return True
        return False

    def own(self, line: str) -> bool:
        return any(_same_heading(line, h) for h in self.ctx.own_path) or (
            bool(self.ctx.title) and _same_heading(line, self.ctx.title))

    def other(self, line: str) -> bool:
        return any(_same_heading(line, h) for h in self.ctx.other_headings)


def guard_answer(text: str, ctx: GuardContext) -> Guarded:
    """The answer as the section's own prose, with what was removed and why."""
    judge = _Judge(ctx)
    removals: list[Removal] = []

    def drop(kind: str, what: str) -> None:
        if what.strip():
            removals.append(Removal(kind, _cut(what)))

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    started = False  # prose has begun: preambles are only looked for before it
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            kept.append("")
            continue
        if _MD_FENCE.match(line):
            drop("markdown", line)
            continue
        was_markdown = bool(_MD_HEADING.match(line))
        for pattern in (_MD_HEADING, _MD_QUOTE, _MD_BULLET):
            if pattern.match(line):
                drop("markdown", pattern.match(line).group(0))
                line = pattern.sub("", line, count=1).strip()
        if _MD_BOLD.search(line):
            drop("markdown", "**")
            line = _MD_BOLD.sub(lambda m: m.group(1) + (m.group(2) or m.group(3)), line)
        if line.startswith("**") and line.endswith("**") and len(line) > 4:
            line = line[2:-2]
        if not started:
            line = _strip_preamble(line, drop)
            if not line:
                continue
        if _SALUTATION.match(line) and not _addresses_readers(ctx):
            drop("salutation", line)
            continue
        if _LETTER_CLOSING.match(line):
            drop("closing", line)
            continue
        label = _LABEL_LINE.match(line)
        if label and not label.group(1).startswith(_KEEP_BRACKETS):
            drop("label", line)
            continue
        if _COMPLETION_LINE.match(line):
            if line.startswith("标题") and judge.other(line.split("：", 1)[-1].split("∶", 1)[-1]) and started:
                drop("spill", "\n".join(lines[i:]))
                break
            drop("echo", line)
            continue
        prefix = _LABEL_PREFIX.match(line)
        if prefix:
            drop("label", prefix.group(0))
            line = line[prefix.end():].strip()
            if not line:
                continue
        name_label = judge.fact_label(line)
        if name_label:  # 「党建集体荣誉：」 — a fact's name as a label, the facts block's layout copied
            drop("echo" if name_label == line else "label", name_label)
            line = line[len(name_label):].strip()
            if not line:
                continue
        if line.endswith(("：", ":")) and len(line) <= HEADING_MAX_CHARS and not re.search(r"[。！？；]", line):
            if judge.own(line):  # 「突出组织建设，筑牢基层堡垒：」 — its own heading as a lead-in
                drop("heading", line)
                continue
            if judge.other(line):
                drop("spill", "\n".join([line] + lines[i + 1:]))
                break
        if _PATH_LINE.search(line) and len(line) <= 120 and (judge.own(line.split(">")[0]) or judge.echo(line) or ">" in line):
            drop("echo", line)
            continue
        if _heading_like(line, was_markdown) or (not started and len(line) <= HEADING_MAX_CHARS and judge.own(line)
                                                  and not any(c in line for c in "。！？；")):
            if judge.own(line):
                drop("heading", line)
                continue
            if judge.other(line):
                drop("spill", "\n".join([line] + lines[i + 1:]))
                break
            if was_markdown or _heading_like(line, False) or heading_marker(line):
                drop("heading", line)  # a heading of the model's own: the section has none
                continue
        # An inline heading: （三）突出作风建设。一是…
        inline = _inline_heading(line)
        if inline is not None:
            head, body = inline
            if judge.other(head):
                drop("spill", "\n".join([line] + lines[i + 1:]))
                break
            if judge.own(head):
                drop("heading", head)
                line = body
            elif body:  # a numbered line of the model's own: the number goes, the words stay
                found = heading_marker(line)
                drop("numbering", found[1] if found else "")
                line = line[len(found[1]):].lstrip() if found else line
        elif bare(line) and judge.other(line) and len(line) <= HEADING_MAX_CHARS and not re.search(r"[。！？；，]", line):
            drop("spill", "\n".join([line] + lines[i + 1:]))
            break
        if ctx.lists_forbidden:
            mark = _LIST_MARK.match(line)
            if mark and len(line) > len(mark.group(0)):
                drop("numbering", mark.group(0))
                line = line[mark.end():].strip()
        if judge.passage_dump(line):
            drop("echo", line)
            continue
        line = _drop_echo_sentences(line, judge, drop)
        line = _drop_stray_english(line, ctx, drop)
        if line:
            started = True
            kept.append(line)
    body = _trim_closing(kept, drop)
    body, loop_chars = _drop_loops(body, drop, ctx.earlier_openings)
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(body)).strip()
    out = out.replace(MASK, PLACEHOLDER).replace(FIGURE_LABEL, "")
    prose = len(_SPACE.sub("", out))
    failed = ""
    removed = sum(len(r.text) for r in removals)
    if not prose or (prose < FRAGMENT_CHARS and removed > 3 * prose):
        failed = ("the answer held nothing but removed material" if not prose else
                  f"the answer held only a fragment ({out}) beside removed material")
        failed += f" ({summary(removals)})" if removals else ""
    elif loop_chars >= LOOP_FAILED * (prose + loop_chars):
        failed = f"the answer was mostly repetition ({loop_chars} of {prose + loop_chars} characters)"
    return Guarded(out, tuple(removals), failed, flagged_names(out, ctx.passages, ctx.office_words))


def _addresses_readers(ctx: GuardContext) -> bool:
    """Whether this section may hold the salutation: the 〔称谓〕 part, the opening when the outline
    has no 〔称谓〕 of its own, or a document's text before its first heading (no path)."""
    if not ctx.own_path:
        return True
    own = ctx.own_path[-1]
    if own.startswith("〔称谓"):
        return True
    return own.startswith("〔开头") and not any(h.startswith("〔称谓") for h in ctx.other_headings)


def _strip_preamble(line: str, drop) -> str:
    while True:
        m = _PREAMBLE.match(line)
        if not m or not m.group(0):
            return line
        drop("preamble", m.group(0))
        line = line[m.end():].strip()


def _inline_heading(line: str) -> tuple[str, str] | None:
    """(head, body) of a numbered line whose first short sentence is a heading: （一）强化引领。一是…
    — or that is one short sentence alone (body ""): （二）突出内涵建设，推进中心工作。"""
    found = heading_marker(line)
    if not found or found[0] > 2:
        return None
    rest = line[len(found[1]):].lstrip()
    m = re.match(r"^(.{2,30}?[。：:])(.+)$", rest) or re.match(rf"^(.{{2,{HEADING_MAX_CHARS}}}[。：:]?)()$", rest)
    if not m or any(c in m.group(1)[:-1] for c in "。！？；"):
        return None
    return found[1] + m.group(1), m.group(2).strip()


def _drop_stray_english(line: str, ctx: GuardContext, drop) -> str:
    """An English word inside Chinese prose that nothing the model was given contains (思政 education质量,
    中心 work): a small model's slip, not the office's term (GDP, App and Word are not all lowercase)."""
    def replace(m: re.Match[str]) -> str:
        if m.group(1) in ctx.office_words or m.group(1) in ctx.prompt_text or any(m.group(1) in p for p in ctx.passages):
            return m.group(0)
        drop("english", m.group(1))
        return ""
    return _STRAY_ENGLISH.sub(replace, line)


def _split(text: str, pattern: re.Pattern[str]) -> list[str]:
    return [s for s in pattern.findall(text) if s]


def _drop_echo_sentences(line: str, judge: _Judge, drop) -> str:
    out = []
    for sentence in _split(line, _SENTENCE):
        if judge.echo(sentence) or _bare_mask(sentence):
            drop("echo", sentence)
        elif _ANNOUNCE.match(sentence.strip()):
            drop("preamble", sentence)
        else:
            out.append(sentence)
    return "".join(out).strip()


def _bare_mask(sentence: str) -> bool:
    """【待补】件 standing alone: the prompt's example of a placeholder, not a sentence."""
    rest = sentence.replace(PLACEHOLDER, "").replace(MASK, "")
    return rest != sentence and len(re.sub(r"[^\u4e00-\u9fff]", "", rest)) <= 2


def _trim_closing(lines: list[str], drop) -> list[str]:
    """Closing remarks: trailing sentences that talk to the user, not the report's readers."""
    lines = list(lines)
    while lines:
        if not lines[-1].strip():
            lines.pop()
            continue
        sentences = _split(lines[-1], _SENTENCE)
        cut = len(sentences)
        while cut and _CLOSING.search(sentences[cut - 1].strip()):
            cut -= 1
        if cut == len(sentences):
            break
        for s in sentences[cut:]:
            drop("closing", s)
        rest = "".join(sentences[:cut]).strip()
        if rest:
            lines[-1] = rest
            break
        lines.pop()
    return lines


def _drop_loops(lines: list[str], drop, earlier_openings: Sequence[str] = ()) -> tuple[list[str], int]:
    """Sentences that say an earlier sentence again (numbers masked, a word or two changed), and
    clauses said twice word for word: cut to their first occurrence. A sentence that opens like an
    earlier section's first sentence (a small model starts every section with the same one) goes too."""
    seen: list[str] = []
    openings = [o for o in (_SPACE.sub("", x) for x in earlier_openings) if len(o) >= LOOP_MIN_CHARS]
    clauses: set[str] = set()
    removed = 0
    out = []
    whole: set[str] = set()
    for line in lines:
        key = _masked(line)
        if key and key in whole:  # a paragraph said again, however short
            drop("loop", line)
            removed += len(key)
            continue
        if key:
            whole.add(key)
        kept = []
        for sentence in _split(line, _SENTENCE):
            key = _SPACE.sub("", sentence).rstrip("。！？；!?;")  # numbers kept: parallel figures are no loop
            if len(key) >= LOOP_MIN_CHARS and any(_alike(key, earlier) for earlier in seen):
                drop("loop", sentence)
                removed += len(_SPACE.sub("", sentence))
                continue
            if len(key) >= LOOP_MIN_CHARS and any(_alike(key[:len(o)], o) for o in openings):
                drop("loop", sentence)  # not the answer looping: what follows it is still the section
                continue
            if len(key) >= LOOP_MIN_CHARS:
                seen.append(key)
            parts = []
            for clause in _split(sentence, _CLAUSE):
                ckey = _masked(clause).rstrip("，,；;。！？!?")
                if ckey.count("“") != ckey.count("”"):  # cut inside a quoted name: not a clause
                    parts.append(clause)
                    continue
                if len(ckey) >= CLAUSE_MIN_CHARS and ckey in clauses:
                    drop("loop", clause)
                    removed += len(_SPACE.sub("", clause))
                    continue
                if len(ckey) >= CLAUSE_MIN_CHARS:
                    clauses.add(ckey)
                parts.append(clause)
            joined = "".join(parts)
            if parts and joined and joined[-1] in "，,":  # the sentence lost its last clause
                joined = joined[:-1] + "。"
            kept.append(joined)
        out.append("".join(kept).strip())
    return out, removed


def _alike(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 0.7 * max(len(a), len(b)):
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= LOOP_SIMILAR


# --- names from the corpus ---------------------------------------------------------------------

_NAME_SUFFIXES = (
    "实验小学", "实验中学", "中心小学", "中心学校", "小学", "中学", "幼儿园", "学校", "学院", "大学", "职校", "一中", "二中",
    "街道", "社区", "乡", "镇", "村", "县", "区", "公司", "医院", "卫生院", "研究院", "研究中心",
)
_PERSON_TITLES = ("同志", "校长", "书记", "局长", "主任", "老师", "教师", "院长", "镇长", "乡长", "村长", "园长")
_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
# Words that end like a name but name no one in particular.
_GENERIC = re.compile(r"^(?:各|全|本|该|每|我|所属|相关|辖区|农村|城区|城乡|市直|县直|区直|中小|乡村|城镇|偏远|薄弱|重点|示范|其他|其余|多所|多个|部分)")
_NOT_NAME_START = set("的和与在对把了是等及或并从向为以将被由于也都而且就又还再共")


def _name_candidates(text: str) -> set[str]:
    found: set[str] = set()
    for suffix in _NAME_SUFFIXES:
        for m in re.finditer(re.escape(suffix), text):
            end = m.end()
            if suffix in ("乡", "镇", "村", "县", "区") and end < len(text) and text[end] in "级里内外域村镇民委长":
                continue
            if suffix in ("乡", "村", "区") and m.start() and text[m.start() - 1] in "下进驻返入":
                continue  # 文化下乡, 送教进村, 驻村: a verb and its place, no name
            for start in range(max(0, m.start() - 8), m.start() - 1):
                name = text[start:end]
                if re.fullmatch(r"[\u4e00-\u9fff]+", name) and name[0] not in _NOT_NAME_START and not _GENERIC.match(name):
                    found.add(name)
    for title in _PERSON_TITLES:
        for m in re.finditer(title, text):
            for size in (2, 3):
                name = text[m.start() - size:m.start()]
                if len(name) == size and name[0] in _SURNAMES and re.fullmatch(r"[\u4e00-\u9fff]+", name):
                    found.add(name + title)
    return found


def flagged_names(text: str, material: Sequence[str], office_words: str) -> tuple[str, ...]:
    """Names (units, people, places) the text shares with the reference material that this
    office's own words never use: another school's name, last year's speaker, a township."""
    if not material or not text:
        return ()
    source = "\n".join(material)
    hits = sorted(n for n in _name_candidates(text) if n in source and n not in office_words
                  and bare_core(n) not in office_words)
    # keep the longest of overlapping candidates (阳光实验小学 over 实验小学)
    return tuple(n for n in hits if not any(n != m and n in m for m in hits))


def bare_core(name: str) -> str:
    """The distinctive part of a name (阳光实验小学 → 阳光实验), to see whether the office uses it."""
    for suffix in sorted(_NAME_SUFFIXES + _PERSON_TITLES, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class GuardRecord:
    """What the guard did over a section's calls, as the run records it (sections/NN.md)."""

    removed: tuple[Removal, ...] = ()
    failed_calls: tuple[str, ...] = ()  # why each rejected answer was rejected
    names: tuple[str, ...] = ()
    copy_share: float | None = None
    copied: tuple[dict, ...] = ()  # {"text", "source"} of the runs left in the text
    copy_regenerated: bool = False
    unused_facts: tuple[str, ...] = ()
    repairs: tuple[str, ...] = ()  # per repair round: accepted, or why it was rejected

    def to_json(self) -> dict:
        data: dict = {}
        if self.removed:
            data["removed"] = [{"kind": r.kind, "text": r.text} for r in self.removed]
            data["removed_summary"] = summary(self.removed)
        if self.failed_calls:
            data["failed_calls"] = list(self.failed_calls)
        if self.names:
            data["names"] = list(self.names)
        if self.copy_share is not None:
            data["copy_share"] = round(self.copy_share, 3)
        if self.copied:
            data["copied"] = list(self.copied)
        if self.copy_regenerated:
            data["copy_regenerated"] = True
        if self.unused_facts:
            data["unused_facts"] = list(self.unused_facts)
        if self.repairs:
            data["repairs"] = list(self.repairs)
        return data
