"""Fixed political formulas (提法) such as 四个意识, 三会一课, 二十届三中全会.

A numeral inside a formula is part of a name, not a claim about the office's work, so the
checker marks it ``formula`` and never asks the facts for it. The list ships in
``drafter/data/formulas.txt``; an office adds its own with a file named by ``DRAFTER_FORMULAS``
(appended, same format). Loading is cached per value of that variable, so a test or a long
drafting session that changes it gets a fresh list, and nobody pays for reading twice.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from drafter.errors import ConfigError

ENV_VAR = "DRAFTER_FORMULAS"

# A formula must not be glued to another numeral: 五十一人 contains 十一. Arabic digits only
# guard the left side (12+X), so 五星级党支部3个 still finds the long form.
_CN_NUMERALS = "零〇○一二两三四五六七八九十百千万亿"


def parse_formula_lines(text: str) -> list[str]:
    """One formula a line; ``#`` starts a comment (whole line, or after whitespace)."""
    out: list[str] = []
    for raw in text.splitlines():
        line = re.split(r"(?:^|\s)#", raw, maxsplit=1)[0].strip()
        if line:
            out.append(line)
    return out


def formulas() -> tuple[str, ...]:
    """All formulas: the bundled list, then the user's extra file."""
    return _load(os.environ.get(ENV_VAR, ""))


@lru_cache(maxsize=8)
def _load(extra_path: str) -> tuple[str, ...]:
    bundled = resources.files("drafter").joinpath("data/formulas.txt").read_text(encoding="utf-8")
    items = parse_formula_lines(bundled)
    if extra_path:
        path = Path(extra_path)
        try:
            items += parse_formula_lines(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"{ENV_VAR}={extra_path}: cannot read the formulas file ({e})") from e
    # Deduplicate, keep order; the regex below sorts by length itself.
    return tuple(dict.fromkeys(items))


@lru_cache(maxsize=8)
def _regex(extra_path: str) -> re.Pattern[str]:
    items = sorted(_load(extra_path), key=len, reverse=True)  # longest first: 二十届三中全会 before 二十大
    body = "|".join(re.escape(i) for i in items)
    # The first-character class lets the engine skip most positions at once: a bare alternation
    # of 200+ literals costs ~10 ms on a 10,000-character draft, this ~1 ms.
    first = "".join(sorted({re.escape(i[0]) for i in items}))
    return re.compile(rf"(?<![0-9{_CN_NUMERALS}点])(?=[{first}])(?:{body})(?![{_CN_NUMERALS}点])")


def find_formulas(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of formulas in ``text``, left to right, not overlapping."""
    return [m.span() for m in _regex(os.environ.get(ENV_VAR, "")).finditer(text)]
