"""Sentences and clauses around a position: the one definition of where they end.

A sentence ends at 。！？；, their ASCII forms or a line break; a clause also at ，：; a list
item also at 、. The checker, the number index, fact sheets and facts material all use these, so a
number's "sentence" means the same thing everywhere.
"""

from __future__ import annotations

import re

SENTENCE_END = "。！？!?；;\n"
CLAUSE_END = SENTENCE_END + "，,：:"
ITEM_END = CLAUSE_END + "、"  # 22项、个人荣誉61人次: a list item
_SENTENCE_SPLIT = re.compile(r"(?<=[。！？；!?;])|\n")


def back(text: str, pos: int, stops: str = SENTENCE_END, limit: int | None = None) -> int:
    """Where the span that holds ``pos`` starts: just after the last stop before it (at most
    ``limit`` characters back)."""
    a = pos
    while a > 0 and text[a - 1] not in stops and (limit is None or pos - a < limit):
        a -= 1
    return a


def forward(text: str, pos: int, stops: str = SENTENCE_END, limit: int | None = None) -> int:
    """Where the span that holds ``pos`` ends: at the next stop (at most ``limit`` characters on)."""
    b = pos
    while b < len(text) and text[b] not in stops and (limit is None or b - pos < limit):
        b += 1
    return b


def span(text: str, start: int, end: int, stops: str = SENTENCE_END) -> tuple[int, int]:
    """(start, end) of the sentence (or clause, with ``CLAUSE_END``) around ``text[start:end]``,
    stops excluded."""
    return back(text, start, stops), forward(text, end, stops)


def sentences(text: str) -> list[str]:
    """The text cut at sentence ends and line breaks, each sentence keeping its end mark."""
    return [s for s in _SENTENCE_SPLIT.split(text) if s.strip()]


def last_full_sentence(text: str) -> str:
    """The text up to its last 。！？ (a stream cut mid-sentence loses the broken end)."""
    cut = max(text.rfind(end) for end in "。！？")
    return text[: cut + 1] if cut > 0 else text
