"""A larger corpus for ingest tests: the five sample reports plus reports made of their sentences.

Each made-up report takes sentences of the sample corpus at random (seeded) and gives every
number in them new digits, so that no two passages are the same text: rankings then have no ties
that a clean index and a repaired one could order differently.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

from tests.conftest import SAMPLE_CORPUS

HEADINGS = ("一、主要工作及成效", "二、存在的问题和不足", "三、下一步工作打算", "四、加强党的建设", "五、抓好作风建设")


def _sentences() -> list[str]:
    pool = []
    for path in sorted(SAMPLE_CORPUS.glob("*.txt")):
        for sentence in re.split(r"(?<=[。！？；])", path.read_text(encoding="utf-8")):
            sentence = sentence.strip()
            if 16 <= len(sentence) <= 120 and "\n" not in sentence:
                pool.append(sentence)
    return pool


def _renumber(text: str, rng: random.Random) -> str:
    return re.sub(r"\d+", lambda m: str(rng.randint(10 ** (len(m.group()) - 1), 10 ** len(m.group()) - 1)), text)


def made_up_report(number: int, seed: int = 0) -> tuple[str, str]:
    """(file name, text) of one made-up report; another seed gives the same file other text."""
    rng = random.Random(number * 1000 + seed)
    pool = _sentences()
    year = 2014 + number % 10
    title = f"{year}年县教育局第{number}号工作总结"
    parts = [title, ""]
    for heading in rng.sample(HEADINGS, 3):
        parts.append(heading)
        parts.append("".join(_renumber(rng.choice(pool), rng) for _ in range(rng.randint(8, 14))))
        parts.append("")
    return f"{year}_工作总结_合成{number:02d}.txt", "\n".join(parts)


def write_corpus(folder: Path, made_up: dict[int, int], samples: bool = True) -> Path:
    """The sample reports (``samples``) and made-up reports {number: seed} in ``folder``, which is
    emptied first."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if samples:
        for path in SAMPLE_CORPUS.glob("*.txt"):
            shutil.copy(path, folder / path.name)
    for number, seed in made_up.items():
        name, text = made_up_report(number, seed)
        (folder / name).write_text(text, encoding="utf-8")
    return folder
