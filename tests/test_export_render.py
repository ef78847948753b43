"""Render exported documents with LibreOffice and read the pages back: 22 lines a page, 28
characters a line, page numbers outside on odd and even pages, 7 mm below the type area.

Needs: apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk fonts-liberation2 poppler-utils
Skips, saying what is missing, when those are not installed.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from drafter.export.docx_write import export_docx

pytestmark = pytest.mark.slow

APT_LINE = "apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk fonts-liberation2 poppler-utils"
TOOLS = ("soffice", "pdftotext", "pdfinfo", "pdftoppm", "fc-list")
RENDER_TIMEOUT_S = 240
MM = 72 / 25.4  # PDF points per millimetre
PAGE_W, PAGE_H = 210 * MM, 297 * MM
TYPE_LEFT, TYPE_RIGHT, TYPE_BOTTOM = 28 * MM, (210 - 26) * MM, (297 - 35) * MM

# LibreOffice maps the office font names to the free CJK faces; the layout only needs the metrics.
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{aliases}
</fontconfig>
"""
ALIASES = {
    "仿宋_GB2312": "Noto Serif CJK SC",
    "方正小标宋简体": "Noto Serif CJK SC",
    "楷体_GB2312": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
    "Times New Roman": "Liberation Serif",
}

LINE_TEXT = "用于检查每页行数的正文段落共有二十个字"  # 19 characters + 。= one line
CHARS_TEXT = ("公文格式排版检查" * 12)[:92]  # 26 + 28 + 28 + 10 characters, no punctuation

SAMPLE = """\
# 关于2024年度党建工作情况的报告

县委组织部：

2024年，局党组坚持以党的创新理论为指导，认真落实全面从严治党主体责任，坚持党建引领、统筹推进，各项工作取得新成效。现将有关情况报告如下。

## 一、主要工作

### （一）加强理论武装

1.坚持集中学习。全年组织党组理论学习中心组学习12次，开展专题研讨4次，撰写调研报告6篇。

（1）认真开展读书班。举办读书班2期，覆盖党员干部136人次，参学率达到98.5%。

### （二）夯实基层基础

全面规范支部设置，完成3个支部按期换届，新发展党员7名。推进“三会一课”制度落实，每季度检查一次台账，整改问题11个。

### （三）推进正风肃纪

开展警示教育3次，签订廉政承诺书58份，驰而不息纠治“四风”。

## 二、存在问题

一是理论学习的深度还不够，二是个别支部活动形式较为单一。

## 三、下步打算

下一步，我们将持续推动党建工作与业务工作深度融合，以高质量党建引领高质量发展。

特此报告。

某某县农业农村局党组
2024年12月20日
"""


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def _missing_requirements() -> str | None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        return f"{', '.join(missing)} not installed (CI: {APT_LINE})"
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=60).stdout
    if not listed.strip():
        return f"no CJK font installed (CI: {APT_LINE})"
    return None


def render(docx_paths: list[Path], out_dir: Path) -> list[Path]:
    """Convert to PDF with a private LibreOffice profile; kill the whole process group on timeout."""
    work = out_dir / "lo"
    work.mkdir(parents=True, exist_ok=True)
    conf = work / "fonts.conf"
    aliases = "\n".join(
        f"  <alias binding=\"same\"><family>{name}</family><prefer><family>{face}</family></prefer></alias>"
        for name, face in ALIASES.items()
    )
    conf.write_text(FONTS_CONF.format(aliases=aliases), encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(work))
    cmd = [
        "soffice",
        f"-env:UserInstallation=file://{work / 'profile'}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        *map(str, docx_paths),
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=RENDER_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"LibreOffice did not finish within {RENDER_TIMEOUT_S} s")
    pdfs = [out_dir / (p.stem + ".pdf") for p in docx_paths]
    missing = [p.name for p in pdfs if not p.is_file()]
    assert not missing, f"LibreOffice wrote no {missing}: {output.decode(errors='replace')}"
    return pdfs


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_lines(pdf: Path) -> list[list[str]]:
    """Text lines of each page (pdftotext -layout), blank lines and the page number left out."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    pages = text.split("\f")[:-1]
    return [[ln for ln in page.splitlines() if ln.strip() and not re.fullmatch(r"\s*—\s*\d+\s*—\s*", ln)] for page in pages]


def words(pdf: Path) -> list[Word]:
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    found: list[Word] = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page):
            found.append(Word(number, m.group(5), *(float(m.group(i)) for i in range(1, 5))))
    return found


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    reason = _missing_requirements()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("render")
    docs = {
        "lines": "# 关于排版检查的报告\n\n" + "\n\n".join(LINE_TEXT + "。" for _ in range(60)),
        "chars": "# 关于排版检查的报告\n\n" + CHARS_TEXT,
        "sample": SAMPLE,
    }
    paths = []
    for name, text in docs.items():
        export_docx(text, folder / f"{name}.docx")
        paths.append(folder / f"{name}.docx")
    return dict(zip(docs, render(paths, folder)))


def test_a_full_page_holds_22_lines(pdfs):
    # page 1: title, a blank line, 20 paragraphs; page 2: 22 paragraphs; page 3: the last 18
    assert page_count(pdfs["lines"]) == 3
    pages = page_lines(pdfs["lines"])
    assert [len(p) for p in pages] == [21, 22, 18]
    assert all(LINE_TEXT in line for line in pages[1])


def test_a_full_line_holds_28_characters(pdfs):
    (page,) = page_lines(pdfs["chars"])
    body = [re.sub(r"\s", "", line) for line in page[1:]]
    assert [len(line) for line in body] == [26, 28, 28, 10]  # the first line is indented two
    assert "".join(body) == CHARS_TEXT


def test_page_numbers_outside_one_character_in_and_7_mm_below(pdfs):
    dashes = [w for w in words(pdfs["lines"]) if w.text == "—"]
    assert sorted({w.page for w in dashes}) == [1, 2, 3]
    one_char = 14  # 4号
    for page in (1, 2, 3):
        left, right = sorted((w for w in dashes if w.page == page), key=lambda w: w.x_min)
        if page % 2:  # odd: right, one character in
            assert abs((TYPE_RIGHT - one_char) - right.x_max) < 3
        else:  # even: left, one character in
            assert abs((TYPE_LEFT + one_char) - left.x_min) < 3
        below = ((left.y_min + left.y_max) / 2 - TYPE_BOTTOM) / MM
        assert 5 <= below <= 9, f"the 一字线 is {below:.1f} mm below the type area"


def test_the_sample_page_looks_like_a_gongwen(pdfs, tmp_path):
    pdf = pdfs["sample"]
    assert page_count(pdf) == 2
    first = [w for w in words(pdf) if w.page == 1]
    title_line = [w for w in first if w.y_min == first[0].y_min]
    assert "".join(w.text for w in title_line) == "关于2024年度党建工作情况的报告"
    centre = (title_line[0].x_min + title_line[-1].x_max) / 2
    assert abs(centre - (TYPE_LEFT + TYPE_RIGHT) / 2) < 4  # centred
    recipient = next(w for w in first if w.text == "县委组织部：")
    assert abs(recipient.x_min - TYPE_LEFT) < 2  # flush left
    heading = next(w for w in first if w.text.startswith("一、"))
    assert abs(heading.x_min - (TYPE_LEFT + 2 * 15.7)) < 3  # indented two characters
    last = [w for w in words(pdf) if w.page == 2]
    day = max((w for w in last if w.text.endswith("日")), key=lambda w: w.y_min)
    assert abs(day.x_max - (TYPE_RIGHT - 4 * 16)) < 4  # 成文日期 four characters in from the right
    png = tmp_path / "page1"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(png)],
        check=True,
        timeout=120,
    )
    image = png.with_suffix(".png")
    assert 10_000 < image.stat().st_size < 200_000
