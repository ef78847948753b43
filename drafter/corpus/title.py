"""Find a report's title among its first lines, however the page or the PDF left it.

Real files put the title anywhere in the first dozen lines: after site chrome and metadata, after a
印发 notice that wraps the document, broken over two lines by a PDF, spaced out (政 府 工 作 报 告),
doubled, or run into the salutation and the first sentence on one line. ``split_run_in`` cuts a
title off the line it runs into; ``locate`` picks the title, and returns the lines with the title
first and the preamble before it (and repeats of the title after it) dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter.corpus.structure import heading_marker

# Nouns a title ends with: the kind of document it is (or, for 材料/情况, that it is one at all).
TITLE_NOUN = re.compile(
    r"(述职|述廉|总结|要点|计划|方案|讲话|致辞|讲稿|党课|发言|汇报|报告|材料|提纲|思路|安排|情况|通知|意见|纪要"
    r"|体会|调研|调查|思考|打算|回顾)"
)
# What a title runs into on the same line: the salutation, or the title printed again.
SALUTATION = re.compile(r"^(?:(?:尊敬的|各位|亲爱的)[^：:。！]{0,40}|同志们|同事们|老师们)[：:]")
_RUN_IN = re.compile(
    r"^(?P<title>[^，,。：:；;！!？?\s]{4,45}?(?:报告|总结|讲话|发言|材料|要点|计划|方案|汇报|讲稿|提纲|致辞)+)"
    r"(?P<rest>\S.*)$"
)
_NOT_A_TITLE_START = re.compile(r"^(现将|下面|根据|按照|为了?|经|今年|一年来|近年来|我|本人|今天|在此)")
_BRACKET_TITLE = re.compile(r"^【([^】]{4,40})】(.+)$")
_SENTENCE_PUNCT = re.compile(r"[。；！？!?;]")
_DATE_LINE = re.compile(r"^[\d〇一二三四五六七八九十○０-９]{2,4}\s*年[\d〇一二三四五六七八九十○０-９\s]{1,3}月([\d〇一二三四五六七八九十○０-９\s]{1,3}日)?$")
_NOTICE = re.compile(r"关于(?:印发|转发|下发)[《“\"]?(?P<inner>.+?)[》”\"]?的通知")
# Page furniture glued to a title: 范文(通用6篇), 精品(七篇), 5篇, 篇1, (精选多篇), .docx …
_TITLE_NOISE = re.compile(
    r"(范文(锦集|大全|精选)?)?[（(](通用|精选)?[\d一二三四五六七八九十]*篇[）)]|范文(锦集|大全)?[\d一二三四五六七八九十]*篇?$"
    r"|精品[（(][一二三四五六七八九十\d]+篇[）)]|[\d一二三四五六七八九十]+篇$|\s*篇\s*[（(]?\d+[）)]?$|\.docx?$"
    r"|[（(]精选多篇[）)]|\[此文共\d+字\]|范文$|(?<=报告|总结|材料|讲话|发言)\d+$"
)
_SPACED = re.compile(r"^(?:[\u4e00-\u9fff][ \u3000]+){2,}[\u4e00-\u9fff]$")
SCAN_LINES = 14  # the title is among the first lines or nowhere
RUN_IN_MIN = 80  # a title runs into the text only on a long line (a page flattened into one)
MAX_TITLE = 60


@dataclass(frozen=True)
class Located:
    lines: list[str]  # the text's lines, title first when one was found
    title: str = ""
    subtitle: str = ""  # a ——subtitle line under the title (在…会议上的讲话), or ""


def tidy(title: str) -> str:
    """A title without page furniture, its letters closed up when spaced out."""
    title = title.strip().strip("_")
    if _SPACED.match(title):
        title = re.sub(r"[ \u3000]+", "", title)
    for _ in range(2):
        title = _TITLE_NOISE.sub("", title).strip()
    return title


def _key(line: str) -> str:
    return re.sub(r"[\s_\-—]+", "", tidy(line))


def is_title_like(line: str) -> bool:
    """Short, no sentence in it, not a heading, salutation, date or addressee line."""
    s = line.strip()
    if len(s) > MAX_TITLE or _SENTENCE_PUNCT.search(s) or (len(s) < 4 and not TITLE_NOUN.fullmatch(s[-2:])):
        return False  # shorter than four characters only when it is the kind itself (述职, 讲话)
    if s.endswith(("：", ":", "，", ",", "、")) or s.count("，") + s.count(",") > 1:
        return False
    if heading_marker(s) or SALUTATION.match(s) or _DATE_LINE.match(s) or s.startswith(("——", "—", "-")):
        return False
    return bool(re.search(r"[\u4e00-\u9fff]{2}", tidy(s)))


def split_run_in(lines: list[str]) -> list[str]:
    """Cut a title off the first line when it runs into the salutation or the first sentence
    (乡镇镇长述职报告各位领导、同志们:我是…), and a salutation off the sentence it runs into."""
    out: list[str] = []
    seen = 0
    for line in lines:
        if not line.strip() or seen >= 3:
            out.append(line)
            continue
        seen += 1
        out.extend(_split_line(line.strip(), first=seen == 1))
    return out


def _split_line(line: str, first: bool) -> list[str]:
    parts: list[str] = []
    m = _BRACKET_TITLE.match(line)
    if m and first:
        parts.append(m.group(1))
        line = m.group(2).strip()
    for _ in range(3):  # a title printed twice in a row, then the body
        if len(line) <= MAX_TITLE and not _SENTENCE_PUNCT.search(line):
            break
        head, sep, rest = line.partition(" ") if " " in line[:MAX_TITLE] else ("", "", "")
        if head and is_title_like(head) and TITLE_NOUN.search(head[-4:]) and len(rest) > len(head):
            parts.append(head)
            line = rest.strip()
            continue
        m = _RUN_IN.match(line)
        if not m or _NOT_A_TITLE_START.match(line):
            break
        rest = m.group("rest").lstrip("．.。 ")
        dotted = m.group("rest")[:1] in "．.。"  # 关于小学校长的述职报告.关于…
        if _unbalanced(m.group("title")) or not (
            SALUTATION.match(rest) or rest.startswith(m.group("title")) or dotted or len(line) > RUN_IN_MIN
        ):
            break
        if not parts or _key(parts[-1]) != _key(m.group("title")):
            parts.append(m.group("title"))
        line = rest
    m = SALUTATION.match(line)
    if m and len(line) > m.end() + 1:
        parts.extend([line[: m.end()], line[m.end():].strip()])
    else:
        parts.append(line)
    return parts


def _unbalanced(text: str) -> bool:
    return any(text.count(a) != text.count(b) for a, b in ("《》", "“”", "（）", "()"))


def locate(lines: list[str], header_title: str = "") -> Located:
    """The title among the first lines (see the module docstring), the lines reordered around it."""
    idx = [i for i, line in enumerate(lines) if line.strip()][:SCAN_LINES]
    pick = _pick(lines, idx, header_title)
    if pick is None:
        return Located(lines=lines)
    start, end, title = pick  # the title spans lines[start:end]
    inner = _NOTICE.search(title)
    if inner:  # 关于印发《X》的通知: the document is X, further down after the notice
        x = _key(inner.group("inner"))
        ahead = [i for i in range(end, len(lines)) if lines[i].strip()][:30]
        later = next((i for i in ahead if _key(lines[i]) == x), None)
        if later is not None:
            end, title = later + 1, lines[later].strip()
        else:
            title = inner.group("inner")
    subtitle, after = "", end
    nxt = next((i for i in range(end, len(lines)) if lines[i].strip()), None)
    if nxt is not None and lines[nxt].strip().startswith(("——", "—", "--", "-")) and len(lines[nxt].strip()) <= 80:
        subtitle = lines[nxt].strip()
        after = nxt + 1
        cont = next((i for i in range(after, len(lines)) if lines[i].strip()), None)
        if cont is not None and len(lines[cont].strip()) <= 12 and lines[cont].strip().endswith(("上", "上的讲话", "上的发言", "上的报告")):
            subtitle += lines[cont].strip()  # a dateline broken over two lines
            after = cont + 1
    title = tidy(title)
    key = _key(title)
    rest = list(lines[after:])
    # Repeats of the title among the next lines (the page printed it again, with 篇1 or .docx).
    for i in [i for i, ln in enumerate(rest) if ln.strip()][:12]:
        k = _key(rest[i])
        if k == key or (len(k) >= 6 and key.startswith(k)):
            rest[i] = ""
    head = [title] + ([subtitle] if subtitle else [])
    return Located(lines=head + rest, title=title, subtitle=subtitle)


def _pick(lines: list[str], idx: list[int], header_title: str) -> tuple[int, int, str] | None:
    """(start, end, title) of the title's lines, or None. The preamble before it may only be
    short lines (chrome left over, metadata, an issuer, a date) or a 印发 notice."""
    scan: list[int] = []
    for i in idx:
        s = lines[i].strip()
        if heading_marker(s) or SALUTATION.match(s):
            break
        if _SENTENCE_PUNCT.search(s) and len(s) > 30 and not re.search(r"印发|转发|下发|给你们|请认真", s):
            break  # the body has begun
        scan.append(i)
    if header_title:
        hk = _key(header_title)
        for i in scan:
            if _key(lines[i]) == hk:
                return i, i + 1, lines[i].strip()
    candidates = [i for i in scan if is_title_like(lines[i])]
    for n, i in enumerate(candidates):
        joined = _joined(lines, i)
        if joined:
            return joined
        if TITLE_NOUN.search(tidy(lines[i])[-6:]) or _NOTICE.search(lines[i]):
            return i, i + 1, lines[i].strip()
    if header_title:
        return (scan[0], scan[0], header_title) if scan else (idx[0], idx[0], header_title) if idx else None
    # No title noun anywhere: a slogan title, if the very first line is title-like and what follows
    # is a subtitle, a salutation or the body.
    if candidates and idx and candidates[0] == idx[0]:
        return idx[0], idx[0] + 1, lines[idx[0]].strip()
    return None


def _joined(lines: list[str], i: int) -> tuple[int, int, str] | None:
    """A title a PDF broke over two lines (…对照检 / 查材料), joined."""
    j = next((k for k in range(i + 1, min(len(lines), i + 3)) if lines[k].strip()), None)
    if j is None:
        return None
    a, b = lines[i].strip(), lines[j].strip()
    if len(b) > 20 or _SENTENCE_PUNCT.search(b) or heading_marker(b) or SALUTATION.match(b) or b.startswith(("—", "-")):
        return None
    if TITLE_NOUN.search(tidy(a)[-6:]):
        return None
    ab = a + b
    m = TITLE_NOUN.search(tidy(ab)[-8:])
    if m and len(ab) <= MAX_TITLE + 10 and (len(a) >= 12 or a.endswith(("关于", "印发", "的"))):
        return i, j + 1, ab
    return None
