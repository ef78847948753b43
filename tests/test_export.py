"""`drafter export`: Markdown parsing, the GB/T 9704 look read back from the .docx, bad input."""

from __future__ import annotations

import datetime
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.shared import Emu
from lxml import etree

from drafter import fileio as atomic_mod
from drafter.corpus.document import load_document
from drafter.errors import InputFileError
from drafter.export import docx_write as export_mod
from drafter.export.blocks import Paragraph, Table, heading_marker, normalise_date, parse_draft
from drafter.export.docx_write import ExportError, export_docx, export_draft_file

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

SAMPLE = """\
# 关于2024年度党建工作情况的报告

县委组织部：

2024年，局党组坚持以党的创新理论为指导，落实全面从严治党主体责任，各项工作取得新成效。

## 一、主要工作

### （一）加强理论武装

#### 1.坚持集中学习

全年组织理论学习中心组学习12次，开展专题研讨4次。

（1）认真开展读书班

举办读书班2期，覆盖党员干部**136人次**，参学率达到98.5%。

### （二）夯实基层基础

- 规范支部设置，完成3个支部换届。
- 推进“三会一课”制度落实。
  - 每季度检查一次台账。

| 项目 | 2023年 | 2024年 |
|---|---|---|
| 发展党员 | 5 | 7 |
| 培训人次 | 120 | 136 |

（三）存在问题。学习深度不够，个别支部活动形式单一。

## 二、下步打算

下一步，我们将持续推动党建工作与业务工作深度融合。

特此报告。

某某县农业农村局党组
二〇二四年十二月二十日
"""

# Each non-empty paragraph of the .docx, in order: the Markdown's text without its syntax.
SAMPLE_TEXT = [
    "关于2024年度党建工作情况的报告",
    "县委组织部：",
    "2024年，局党组坚持以党的创新理论为指导，落实全面从严治党主体责任，各项工作取得新成效。",
    "一、主要工作",
    "（一）加强理论武装",
    "1.坚持集中学习",
    "全年组织理论学习中心组学习12次，开展专题研讨4次。",
    "（1）认真开展读书班",
    "举办读书班2期，覆盖党员干部136人次，参学率达到98.5%。",
    "（二）夯实基层基础",
    "规范支部设置，完成3个支部换届。",
    "推进“三会一课”制度落实。",
    "每季度检查一次台账。",
    "（三）存在问题。学习深度不够，个别支部活动形式单一。",
    "二、下步打算",
    "下一步，我们将持续推动党建工作与业务工作深度融合。",
    "特此报告。",
    "某某县农业农村局党组",
    "2024年12月20日",  # 7.3.5.4: Arabic numerals
]


# --- helpers -------------------------------------------------------------------------------


def export_sample(folder: Path, text: str = SAMPLE, **options) -> Path:
    out = folder / "out.docx"
    export_docx(text, out, **options)
    return out


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def paragraphs(path: Path):
    return [p for p in open_docx(str(path)).paragraphs if p.text.strip()]


def by_text(path: Path, text: str):
    return next(p for p in open_docx(str(path)).paragraphs if p.text == text)


def ppr(p, tag: str, attr: str) -> str | None:
    el = p._p.find(f"{W}pPr/{W}{tag}")
    return None if el is None else el.get(f"{W}{attr}")


def rfonts(run) -> dict[str, str]:
    el = run._r.find(f"{W}rPr/{W}rFonts")
    return {k.replace(W, ""): v for k, v in el.attrib.items()}


def half_points(run) -> int:
    return int(run._r.find(f"{W}rPr/{W}sz").get(f"{W}val"))


def is_bold(run) -> bool:
    return run._r.find(f"{W}rPr/{W}b") is not None


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory) -> Path:
    return export_sample(tmp_path_factory.mktemp("export"))


# --- numbering, dates, inline ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("一、总体情况", (1, "一、")),
        ("十二、其他", (1, "十二、")),
        ("（一）加强学习", (2, "（一）")),
        ("(二)加强学习", (2, "(二)")),
        ("1.坚持学习", (3, "1.")),
        ("12．坚持学习", (3, "12．")),
        ("1. 坚持学习", (3, "1.")),
        ("（1）读书班", (4, "（1）")),
        ("(10)读书班", (4, "(10)")),
        ("12.73亿元的投资", None),  # a decimal, not numbering
        ("2024年工作", None),
        ("一是加强学习", None),
        ("总体情况", None),
        ("", None),
    ],
)
def test_heading_marker(text, expected):
    assert heading_marker(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024年12月20日", "2024年12月20日"),
        ("2024年01月05日", "2024年1月5日"),  # 7.3.5.4: 月、日不编虚位
        ("2024 年 1 月 5 日", "2024年1月5日"),
        ("2024-12-20", "2024年12月20日"),
        ("2024.1.5", "2024年1月5日"),
        ("2024/1/5", "2024年1月5日"),
        ("二〇二四年十二月二十日", "2024年12月20日"),
        ("二〇二四年一月五日", "2024年1月5日"),
        ("二〇二四年十月三十一日", "2024年10月31日"),
        ("2024年2月30日", None),
        ("2024年13月1日", None),
        ("明天", None),
        ("2024年12月", None),
    ],
)
def test_normalise_date(text, expected):
    assert normalise_date(text) == expected


# --- parsing the draft -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "markdown, title",
    [
        ("# 关于工作的报告\n\n正文。", "关于工作的报告"),
        ("\n\n# 关于工作的报告\n正文。", "关于工作的报告"),
        ("关于工作的报告\n\n正文。", "关于工作的报告"),
        ("# **关于工作的报告**\n\n正文。", "关于工作的报告"),
        ("## 一、总体情况\n\n正文。", None),
        ("# 一、总体情况\n\n正文。", None),  # numbering: a heading, not a title
        ("一、总体情况\n\n正文。", None),
        ("县委：\n\n正文。", None),
        ("- 一项工作\n", None),
        ("今年以来，我局认真落实各项部署。\n", None),
        ("| a | b |\n|---|---|\n| 1 | 2 |\n", None),
    ],
)
def test_title_line(markdown, title):
    assert parse_draft(markdown).title == title


@pytest.mark.parametrize(
    "body, level, marker",
    [
        ("## 一、主要工作", 1, "一、"),
        ("## （一）加强学习", 2, "（一）"),
        ("# （一）加强学习", 2, "（一）"),  # the numbering wins over the Markdown level
        ("### 一、主要工作", 1, "一、"),
        ("## 1.坚持学习", 3, "1."),
        ("## （1）读书班", 4, "（1）"),
        ("## 主要工作", 1, ""),  # no numbering: ## under a "# " title is level 1
        ("### 主要做法", 2, ""),
        ("#### 具体举措", 3, ""),
        ("###### 更细", 4, ""),
        ("一、主要工作", 1, "一、"),  # a numbered line alone is a heading too
        ("（二）夯实基础", 2, "（二）"),
        ("1.坚持集中学习。", 3, "1."),
    ],
)
def test_heading_levels_follow_the_numbering(body, level, marker):
    draft = parse_draft(f"# 标题\n\n{body}\n\n正文。")
    (heading,) = draft.headings
    assert (heading.level, heading.marker) == (level, marker)
    assert heading.text == re.sub(r"^#+\s*", "", body)  # numbering kept as written


def test_without_a_markdown_title_the_markdown_level_is_the_level():
    draft = parse_draft("关于工作的报告\n\n# 总体情况\n\n## 主要做法\n\n正文。")
    assert [(h.level, h.text) for h in draft.headings] == [(1, "总体情况"), (2, "主要做法")]


@pytest.mark.parametrize(
    "paragraph, lead_level, lead_text",
    [
        ("（一）加强学习。全年组织学习12次。", 2, "（一）加强学习。"),
        ("1.坚持学习。全年组织学习12次。", 3, "1.坚持学习。"),
        ("一、总体情况：全年完成各项任务。", 1, "一、总体情况："),
        ("全年组织学习12次。", None, None),
    ],
)
def test_a_numbered_paragraph_has_a_lead(paragraph, lead_level, lead_text):
    (block,) = parse_draft(f"# 标题\n\n{paragraph}").blocks
    assert isinstance(block, Paragraph)
    if lead_level is None:
        assert block.lead is None
    else:
        assert block.lead.level == lead_level
        assert block.text[: block.lead.length] == lead_text


def test_sample_structure():
    draft = parse_draft(SAMPLE)
    assert draft.title == "关于2024年度党建工作情况的报告"
    assert draft.recipient == "县委组织部："
    assert draft.issuer == "某某县农业农村局党组"
    assert draft.date == "2024年12月20日"
    assert draft.warnings == ()
    assert [(h.level, h.marker, h.title) for h in draft.headings] == [
        (1, "一、", "主要工作"),
        (2, "（一）", "加强理论武装"),
        (3, "1.", "坚持集中学习"),
        (4, "（1）", "认真开展读书班"),
        (2, "（二）", "夯实基层基础"),
        (1, "二、", "下步打算"),
    ]
    lists = [(b.text, b.list_depth) for b in draft.blocks if isinstance(b, Paragraph) and b.list_depth]
    assert lists == [("规范支部设置，完成3个支部换届。", 1), ("推进“三会一课”制度落实。", 1), ("每季度检查一次台账。", 2)]
    (table,) = [b for b in draft.blocks if isinstance(b, Table)]
    assert table.header == ("项目", "2023年", "2024年")
    assert table.rows == (("发展党员", "5", "7"), ("培训人次", "120", "136"))


@pytest.mark.parametrize(
    "markdown, recipient, issuer, date",
    [
        ("# 标题\n\n县委：\n\n正文。", "县委：", None, None),
        ("# 标题\n县委、县政府：\n正文。", "县委、县政府：", None, None),
        ("# 标题\n\n正文。\n\n以下：", None, None, None),
        ("# 标题\n\n正文。\n\n2024年12月20日", None, None, "2024年12月20日"),
        ("# 标题\n\n正文。\n\n某某局\n2024-12-20", None, "某某局", "2024年12月20日"),
        ("# 标题\n\n正文。\n\n某某局\n\n2024年12月20日\n\n", None, "某某局", "2024年12月20日"),
        ("# 标题\n\n正文。\n\n特此报告\n\n2024年12月20日", None, None, "2024年12月20日"),  # not a 署名
        ("# 标题\n\n正文。\n\n某某局", None, None, None),  # an issuer is only recognised above a date
    ],
)
def test_recipient_issuer_and_date_lines(markdown, recipient, issuer, date):
    draft = parse_draft(markdown)
    assert (draft.recipient, draft.issuer, draft.date) == (recipient, issuer, date)


@pytest.mark.parametrize(
    "line, what",
    [
        ("![示意图](a.png)", "image"),
        ("说明<br>换行", "HTML"),
        ("<div>块</div>", "HTML"),
        ("> 引用的话", "block quote"),
    ],
)
def test_unsupported_markdown_is_a_plain_paragraph_with_a_warning(line, what):
    draft = parse_draft(f"# 标题\n\n正文。\n\n{line}\n\n结尾。")
    (warning,) = draft.warnings
    assert warning.line == 5 and what in warning.message
    literal = [b for b in draft.blocks if isinstance(b, Paragraph) and b.literal]
    assert [b.text for b in literal] == [line]


def test_a_third_list_level_is_a_plain_paragraph_with_a_warning():
    draft = parse_draft("# 标题\n\n- 一级\n  - 二级\n    - 三级\n")
    (warning,) = draft.warnings
    assert warning.line == 5 and "deeper than two levels" in warning.message
    assert [(b.text, b.list_depth, b.literal) for b in draft.blocks] == [
        ("一级", 1, False),
        ("二级", 2, False),
        ("三级", 0, True),
    ]


def test_code_blocks_rules_and_front_matter_warn():
    draft = parse_draft("---\ntype: 述职\n---\n# 标题\n\n```\nx = 1\n```\n\n---\n\n正文。")
    assert [w.line for w in draft.warnings] == [1, 6, 10]
    assert [b.text for b in draft.blocks] == ["x = 1", "正文。"]


def test_inline_markup_is_stripped_and_bold_kept():
    (block,) = parse_draft("# 标题\n\n见[文件](http://x)，`代码`，*斜体*，**加粗**，\\*星号。").blocks
    assert block.text == "见文件，代码，斜体，加粗，*星号。"
    assert [s.text for s in block.spans if s.bold] == ["加粗"]


def test_soft_wrapped_lines_join_without_spaces_between_chinese():
    (block,) = parse_draft("# 标题\n\n第一行中文\n第二行中文\nword\nnext").blocks
    assert block.text == "第一行中文第二行中文word next"


# --- the document read back ------------------------------------------------------------------


def test_round_trip_text_paragraph_for_paragraph(sample_docx):
    assert [p.text for p in paragraphs(sample_docx)] == SAMPLE_TEXT


def test_table_cells_round_trip(sample_docx):
    (table,) = open_docx(str(sample_docx)).tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["项目", "2023年", "2024年"],
        ["发展党员", "5", "7"],
        ["培训人次", "120", "136"],
    ]
    header_runs = [r for c in table.rows[0].cells for r in c.paragraphs[0].runs]
    assert all(is_bold(r) for r in header_runs)
    assert table.style.name == "Table Grid"


def test_page_size_and_margins(sample_docx):
    section = open_docx(str(sample_docx)).sections[0]
    mm = lambda length: round(length.mm, 1)  # noqa: E731
    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert (mm(section.top_margin), mm(section.left_margin)) == (37.0, 28.0)
    assert (mm(section.right_margin), mm(section.bottom_margin)) == (26.0, 35.0)
    type_area_w = section.page_width - section.left_margin - section.right_margin
    type_area_h = section.page_height - section.top_margin - section.bottom_margin
    assert (mm(Emu(type_area_w)), mm(Emu(type_area_h))) == (156.0, 225.0)


def test_document_grid_22_lines_28_characters(sample_docx):
    grid = part(sample_docx, "word/document.xml").find(f".//{W}sectPr/{W}docGrid")
    assert grid.get(f"{W}type") == "linesAndChars"
    line_pitch = int(grid.get(f"{W}linePitch"))
    char_space = int(grid.get(f"{W}charSpace"))
    type_area_h, type_area_w = 16838 - 2098 - 1984, 11906 - 1588 - 1474
    assert 22 * line_pitch <= type_area_h < 23 * line_pitch
    char_pitch_twips = (16 + char_space / 4096) * 20
    assert 28 * char_pitch_twips <= type_area_w < 29 * char_pitch_twips


def test_odd_and_even_footers_hold_a_page_field(sample_docx):
    settings = part(sample_docx, "word/settings.xml")
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    section = open_docx(str(sample_docx)).sections[0]
    for footer, align, side in ((section.footer, "right", "right"), (section.even_page_footer, "left", "left")):
        assert not footer.is_linked_to_previous
        (p,) = footer.paragraphs
        assert p.text == "— 1 —"
        assert ppr(p, "jc", "val") == align
        assert ppr(p, "ind", side) == "280"  # one 4号 character in from the edge
        instr = [t.text for t in p._p.iter(f"{W}instrText")]
        assert [i.strip() for i in instr] == ["PAGE"]
        kinds = [c.get(f"{W}fldCharType") for c in p._p.iter(f"{W}fldChar")]
        assert kinds == ["begin", "separate", "end"]
        for run in p.runs:
            assert rfonts(run)["eastAsia"] == "宋体" and rfonts(run)["ascii"] == "宋体"
            assert half_points(run) == 28  # 4号 = 14 pt


ROLES = [
    # text, eastAsia font, half-points, bold, alignment, first-line indent (twips), outline level
    ("关于2024年度党建工作情况的报告", "方正小标宋简体", 44, False, "center", None, None),
    ("县委组织部：", "仿宋_GB2312", 32, False, "both", None, None),
    (SAMPLE_TEXT[2], "仿宋_GB2312", 32, False, "both", "640", None),
    ("一、主要工作", "黑体", 32, False, "both", "640", "0"),
    ("（一）加强理论武装", "楷体_GB2312", 32, False, "both", "640", "1"),
    ("1.坚持集中学习", "仿宋_GB2312", 32, True, "both", "640", "2"),
    ("（1）认真开展读书班", "仿宋_GB2312", 32, True, "both", "640", "3"),
    ("二、下步打算", "黑体", 32, False, "both", "640", "0"),
    ("规范支部设置，完成3个支部换届。", "仿宋_GB2312", 32, False, "both", "640", None),
    ("每季度检查一次台账。", "仿宋_GB2312", 32, False, "both", "1280", None),
    ("某某县农业农村局党组", "仿宋_GB2312", 32, False, "right", None, None),
    ("2024年12月20日", "仿宋_GB2312", 32, False, "right", None, None),
]


@pytest.mark.parametrize("text, east_asia, size, bold, align, first_line, outline", ROLES)
def test_fonts_sizes_indents_and_levels(sample_docx, text, east_asia, size, bold, align, first_line, outline):
    p = by_text(sample_docx, text)
    assert p.runs
    for run in p.runs:
        fonts = rfonts(run)
        assert fonts["eastAsia"] == east_asia
        assert fonts["ascii"] == fonts["hAnsi"] == "Times New Roman"
        assert not any(k.endswith("Theme") for k in fonts)
        assert half_points(run) == size
        assert is_bold(run) == bold
    assert ppr(p, "jc", "val") == align
    assert ppr(p, "ind", "firstLine") == first_line
    if first_line:
        assert ppr(p, "ind", "firstLineChars") == str(int(first_line) // 320 * 100)
    assert ppr(p, "outlineLvl", "val") == outline
    assert ppr(p, "spacing", "lineRule") == "exact" and ppr(p, "spacing", "line") == "579"


def test_the_style_carries_the_look_too(sample_docx):
    doc = open_docx(str(sample_docx))
    h1 = by_text(sample_docx, "一、主要工作")
    assert h1.style.name == "GW Heading 1"
    style_fonts = h1.style.element.find(f"{W}rPr/{W}rFonts")
    assert style_fonts.get(f"{W}eastAsia") == "黑体"
    assert h1.style.element.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == "0"
    normal = doc.styles["Normal"].element.find(f"{W}rPr/{W}rFonts")
    assert normal.get(f"{W}eastAsia") == "仿宋_GB2312"


def test_title_is_followed_by_a_blank_line(sample_docx):
    texts = [p.text for p in open_docx(str(sample_docx)).paragraphs]
    assert texts[:3] == [SAMPLE_TEXT[0], "", "县委组织部："]
    i = texts.index("特此报告。")
    assert texts[i + 1 : i + 4] == ["", "某某县农业农村局党组", "2024年12月20日"]


def test_date_four_characters_from_the_right_and_issuer_centred_over_it(sample_docx):
    date = by_text(sample_docx, "2024年12月20日")
    assert (ppr(date, "ind", "right"), ppr(date, "ind", "rightChars")) == ("1280", "400")
    issuer = by_text(sample_docx, "某某县农业农村局党组")
    # 10 characters over a date 7 wide: shifted 1.5 characters right of the date's indent
    assert ppr(issuer, "ind", "rightChars") == "250"


def test_lead_sentence_in_its_level_font(sample_docx):
    p = by_text(sample_docx, "（三）存在问题。学习深度不够，个别支部活动形式单一。")
    runs = [(r.text, rfonts(r)["eastAsia"]) for r in p.runs]
    assert runs == [("（三）存在问题。", "楷体_GB2312"), ("学习深度不够，个别支部活动形式单一。", "仿宋_GB2312")]
    assert ppr(p, "outlineLvl", "val") is None  # body text, not a navigation entry


def test_bold_span_is_bold(sample_docx):
    p = by_text(sample_docx, "举办读书班2期，覆盖党员干部136人次，参学率达到98.5%。")
    assert [r.text for r in p.runs if is_bold(r)] == ["136人次"]


def test_never_word_auto_numbering(sample_docx):
    document = part(sample_docx, "word/document.xml")
    assert document.find(f".//{W}numPr") is None
    used = {p.style.style_id for p in open_docx(str(sample_docx)).paragraphs}
    styles = part(sample_docx, "word/styles.xml")
    for style in styles.findall(f"{W}style"):
        if style.get(f"{W}styleId") in used | {"Normal"}:
            assert style.find(f".//{W}numPr") is None


def test_east_asian_defaults(sample_docx):
    styles = part(sample_docx, "word/styles.xml")
    rpr = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    fonts = rpr.find(f"{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == "仿宋_GB2312"
    assert not [k for k in fonts.attrib if k.endswith("Theme")]
    assert rpr.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"


def test_font_table_names_fallbacks(sample_docx):
    table = part(sample_docx, "word/fontTable.xml")
    alt = {f.get(f"{W}name"): f.find(f"{W}altName") for f in table.findall(f"{W}font")}
    assert alt["仿宋_GB2312"].get(f"{W}val") == "仿宋"
    assert alt["楷体_GB2312"].get(f"{W}val") == "楷体"
    assert set(export_mod.FONTS_NAMED) <= set(alt)


def test_same_input_same_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    first, second = export_sample(a), export_sample(b)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in z.namelist()  # python-docx's template picture
        assert b"thumbnail" not in z.read("_rels/.rels")


def test_core_properties_are_fixed(sample_docx):
    props = open_docx(str(sample_docx)).core_properties
    assert props.title == SAMPLE_TEXT[0]
    assert props.author == "某某县农业农村局党组"
    assert props.created.replace(tzinfo=None) == datetime.datetime(2024, 12, 20)
    assert props.modified == props.created
    assert props.last_modified_by == "drafter"


def test_options_replace_the_draft(tmp_path):
    out = export_sample(
        tmp_path, title="新的标题", issuer="某某办公室", date="2025-01-05", recipient="市委办公室"
    )
    texts = [p.text for p in paragraphs(out)]
    assert texts[:2] == ["新的标题", "市委办公室："]
    assert texts[-2:] == ["某某办公室", "2025年1月5日"]


def test_a_title_option_rescues_a_draft_without_one(tmp_path):
    out = export_sample(tmp_path, "## 一、总体情况\n\n正文。", title="关于工作的报告")
    assert [p.text for p in paragraphs(out)] == ["关于工作的报告", "一、总体情况", "正文。"]


def test_unsupported_markdown_is_exported_and_reported(tmp_path):
    out = tmp_path / "out.docx"
    report = export_docx("# 标题\n\n![图](a.png)\n\n正文。", out)
    assert [str(w) for w in report.warnings] == ["line 3: image is not supported; exported as a plain paragraph"]
    assert [p.text for p in paragraphs(out)] == ["标题", "![图](a.png)", "正文。"]


def test_report(tmp_path):
    report = export_docx(SAMPLE, tmp_path / "out.docx")
    assert report.title == SAMPLE_TEXT[0] and report.date == "2024年12月20日"
    assert len(report.headings) == 6 and report.tables == 1
    assert report.fonts[:1] == ("方正小标宋简体",) and "Times New Roman" in report.fonts
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    assert data["out_path"].endswith("out.docx") and data["sha256"] == report.sha256


# --- bad input: one clear message, never a half-written file ---------------------------------


def only_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "the draft is empty"),
        ("  \n\n\t\n", "the draft is empty"),
        ("## 一、总体情况\n\n正文。", "no title line"),
        ("今年以来，我局认真落实各项部署。", "no title line"),
    ],
)
def test_drafts_that_cannot_be_exported(tmp_path, text, message):
    with pytest.raises(ExportError, match=message):
        export_docx(text, tmp_path / "out.docx")
    assert only_files(tmp_path) == ["drafter-home"]


@pytest.mark.parametrize(
    "date", ["明天", "2024年2月30日", "20241220"],
)
def test_a_bad_date_option(tmp_path, date):
    with pytest.raises(ExportError, match="--date"):
        export_docx(SAMPLE, tmp_path / "out.docx", date=date)
    assert not (tmp_path / "out.docx").exists()


def test_missing_and_empty_draft_files(tmp_path):
    with pytest.raises(InputFileError, match="no such draft file"):
        export_draft_file(tmp_path / "nope.md", tmp_path / "out.docx")
    empty = tmp_path / "empty.md"
    empty.write_text("\n \n", encoding="utf-8")
    with pytest.raises(InputFileError, match="the draft is empty"):
        export_draft_file(empty, tmp_path / "out.docx")
    with pytest.raises(InputFileError, match="folder"):
        export_draft_file(tmp_path, tmp_path / "out.docx")
    assert not (tmp_path / "out.docx").exists()


def test_a_gb18030_draft_is_read(tmp_path):
    draft = tmp_path / "d.md"
    draft.write_bytes("# 关于工作的报告\n\n正文。".encode("gb18030"))
    export_draft_file(draft, tmp_path / "out.docx")
    assert [p.text for p in paragraphs(tmp_path / "out.docx")] == ["关于工作的报告", "正文。"]


@pytest.mark.parametrize(
    "target, message",
    [
        ("missing/out.docx", "output folder does not exist"),
        ("out.md", "must end in .docx"),
        ("afile.txt/out.docx", "output folder does not exist"),
    ],
)
def test_bad_output_paths(tmp_path, target, message):
    (tmp_path / "afile.txt").write_text("x")
    with pytest.raises(ExportError, match=message):
        export_docx(SAMPLE, tmp_path / target)


def test_an_output_folder_named_like_a_docx(tmp_path):
    (tmp_path / "out.docx").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        export_docx(SAMPLE, tmp_path / "out.docx", force=True)


def test_the_output_may_not_be_the_draft(tmp_path):
    draft = tmp_path / "d.docx"
    draft.write_text("# 标题\n\n正文。", encoding="utf-8")
    with pytest.raises(ExportError, match="overwrite the draft"):
        export_draft_file(draft, draft, force=True)
    assert draft.read_text(encoding="utf-8") == "# 标题\n\n正文。"


def test_an_existing_file_is_kept_without_force_and_replaced_with_it(tmp_path):
    out = tmp_path / "out.docx"
    out.write_bytes(b"old")
    with pytest.raises(ExportError, match="already exists; pass --force"):
        export_docx(SAMPLE, out)
    assert out.read_bytes() == b"old"
    export_docx(SAMPLE, out, force=True)
    assert [p.text for p in paragraphs(out)] == SAMPLE_TEXT
    assert only_files(tmp_path) == ["drafter-home", "out.docx"]


def test_a_file_that_appears_meanwhile_is_not_clobbered(tmp_path, monkeypatch):
    out = tmp_path / "out.docx"
    real_package = export_mod._package

    def package_then_race(doc):
        data = real_package(doc)
        out.write_bytes(b"someone else's")
        return data

    monkeypatch.setattr(export_mod, "_package", package_then_race)
    with pytest.raises(ExportError, match="already exists"):
        export_docx(SAMPLE, out)
    assert out.read_bytes() == b"someone else's"
    assert only_files(tmp_path) == ["drafter-home", "out.docx"]


def test_a_folder_that_is_not_writable(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic_mod.os, "access", lambda path, mode: False)
    with pytest.raises(ExportError, match="cannot write to the output folder"):
        export_docx(SAMPLE, tmp_path / "out.docx")


def test_a_failed_temporary_file(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic_mod.tempfile, "mkstemp", refuse)
    with pytest.raises(ExportError, match="cannot write to the output folder .*Permission denied"):
        export_docx(SAMPLE, tmp_path / "out.docx")
    assert only_files(tmp_path) == ["drafter-home"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_folder_for_real(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(ExportError, match="cannot write"):
            export_docx(SAMPLE, folder / "out.docx")
        assert only_files(folder) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("fail_in", ["fsync", "replace"])
def test_a_failure_while_writing_leaves_nothing_behind(tmp_path, monkeypatch, fail_in):
    out = tmp_path / "out.docx"
    out.write_bytes(b"old")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_mod.os, fail_in, boom)
    with pytest.raises(ExportError, match="No space left on device"):
        export_docx(SAMPLE, out, force=True)
    assert out.read_bytes() == b"old"
    assert only_files(tmp_path) == ["drafter-home", "out.docx"]


def test_new_files_get_the_usual_permissions(tmp_path):
    out = tmp_path / "out.docx"
    export_docx(SAMPLE, out)
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


# --- fonts on this machine --------------------------------------------------------------------


def test_missing_fonts_without_fc_list(monkeypatch):
    monkeypatch.setattr(export_mod.shutil, "which", lambda name: None)
    assert export_mod.missing_fonts(("仿宋_GB2312",)) is None


def test_missing_fonts_reads_fc_list(monkeypatch):
    class Done:
        stdout = "Noto Serif CJK SC,Noto Serif CJK SC Light\n仿宋_GB2312\nTimes New Roman\n"

    monkeypatch.setattr(export_mod.shutil, "which", lambda name: "/usr/bin/fc-list")
    monkeypatch.setattr(export_mod.subprocess, "run", lambda *a, **k: Done())
    assert export_mod.missing_fonts(("仿宋_GB2312", "黑体", "Times New Roman")) == ("黑体",)


# --- the command -----------------------------------------------------------------------------


def run_cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    from drafter.cli import main

    monkeypatch.setattr("sys.argv", ["drafter", "export", *args])
    code = 0
    try:
        main()
    except SystemExit as e:
        code = e.code or 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_exports_and_names_the_fonts(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(export_mod, "missing_fonts", lambda names: ("方正小标宋简体",))
    draft = tmp_path / "d.md"
    draft.write_text(SAMPLE, encoding="utf-8")
    code, out, err = run_cli(monkeypatch, capsys, str(draft), "-o", str(tmp_path / "d.docx"))
    assert code == 0 and out == ""
    lines = err.strip().splitlines()
    (fonts,) = [line for line in lines if line.startswith("fonts named:")]
    assert "仿宋_GB2312" in fonts and "missing on this machine: 方正小标宋简体" in fonts
    assert [p.text for p in paragraphs(tmp_path / "d.docx")] == SAMPLE_TEXT


def test_cli_default_output_json_and_warnings(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(export_mod, "missing_fonts", lambda names: None)
    draft = tmp_path / "d.md"
    draft.write_text("# 标题\n\n<b>粗</b>\n\n正文。", encoding="utf-8")
    code, out, err = run_cli(monkeypatch, capsys, str(draft), "--json")
    assert code == 0
    assert json.loads(out)["out_path"] == str(tmp_path / "d.docx")
    assert f"warning {draft}: line 3: HTML is not supported" in err
    assert "fc-list not found" in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.md"], "error: missing.md: no such draft file"),
        (["d.md", "-o", "nowhere/x.docx"], "error: the output folder does not exist: nowhere"),
        (["d.md", "-o", "exists.docx"], "error: exists.docx already exists; pass --force to overwrite it"),
        (["d.md", "--date", "明天"], "error: --date is not a date"),
        (["notitle.md"], "error: the draft has no title line"),
    ],
)
def test_cli_errors_are_one_red_line(tmp_path, monkeypatch, capsys, args, message):
    (tmp_path / "d.md").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "notitle.md").write_text("## 一、情况\n\n正文。", encoding="utf-8")
    (tmp_path / "exists.docx").write_bytes(b"old")
    code, out, err = run_cli(monkeypatch, capsys, *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith(message)
    assert (tmp_path / "exists.docx").read_bytes() == b"old"
    assert not (tmp_path / "d.docx").exists() or "--date" not in args


# --- read back as a corpus document ----------------------------------------------------------

CORPUS_DRAFT = """\
# 关于2024年度工作情况的报告

## 一、主要工作

### （一）抓好理论学习

#### 1.坚持集中学习

全年组织集中学习12次，专题研讨4次。

#### （1）开展读书班

举办读书班2期，参训136人次。

### （二）夯实基层基础

完成3个支部换届，新发展党员7名。

## 二、下步打算

2025年将持续推动党建与业务深度融合。
"""


def test_an_exported_document_reads_back_as_a_corpus_document_with_the_same_headings(tmp_path):
    out = tmp_path / "report.docx"
    export_docx(CORPUS_DRAFT, out)
    doc = load_document(out, tmp_path)
    expected = [(h.level, h.marker, h.title) for h in parse_draft(CORPUS_DRAFT).headings]
    assert expected == [
        (1, "一、", "主要工作"),
        (2, "（一）", "抓好理论学习"),
        (3, "1.", "坚持集中学习"),
        (4, "（1）", "开展读书班"),
        (2, "（二）", "夯实基层基础"),
        (1, "二、", "下步打算"),
    ]
    assert [(h.level, h.marker.strip(), h.text) for h in doc.headings] == expected
    assert doc.title == "关于2024年度工作情况的报告"


# --- what the exporter and the checker agree on ----------------------------------------------


@pytest.mark.parametrize("text, bold", [
    ("覆盖党员干部**136人次**，参学率98.5%。", ["136人次"]),
    ("**一是加强学习**", ["一是加强学习"]),
    ("通过调研，**中学等5个党组织获评示范点。", []),  # a redaction, not markup
    ("学习“身边的榜样**老师、时代楷模*校长”，**中学作典型发言。", []),  # glued on both sides: two redactions
    ("数量位居**第一，以**中学为龙头", []),
])
def test_bold_is_what_the_checker_reads_as_markup(text, bold):
    from drafter.numbers.extract import extract

    spans = parse_draft("# 标题\n\n" + text).blocks[0].spans
    assert [s.text for s in spans if s.bold] == bold
    exported = "".join(s.text for s in spans)
    # every ** the checker calls a placeholder is still in the exported text
    assert exported.count("**") == sum(m.text == "**" for m in extract(text) if m.kind == "placeholder")


def test_a_plain_text_draft_keeps_its_paragraphs_and_headings():
    draft = parse_draft("# 2025年工作要点\n2025年是关键之年。\n一、坚持政治统领\n1.强化政治建设。始终把党的政治建设摆在首位。\n"
                        "2.深化理论学习。坚持学习。\n二、坚持强基固本\n第一行中文\n第二行中文")
    assert [type(b).__name__ for b in draft.blocks] == ["Paragraph", "Heading", "Paragraph", "Paragraph", "Heading",
                                                         "Paragraph"]
    assert draft.blocks[2].text == "1.强化政治建设。始终把党的政治建设摆在首位。" and draft.blocks[2].lead.level == 3
    assert draft.blocks[-1].text == "第一行中文第二行中文"  # lines inside a sentence still join
