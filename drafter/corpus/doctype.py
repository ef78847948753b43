"""Which kind of report a document is: from its title, else its file name, else its structure.

The list is open: these rules name the common types, a document's front matter or sidecar may
name any other, and ``drafter corpus`` shows every type the corpus holds with its count.
"""

from __future__ import annotations

import re

from drafter.records import Heading

# Most specific first: a 述职 is also a kind of 报告, a 党建工作要点 mentions 党建 and 工作.
TYPE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("对照检查", ("对照检查", "检视剖析", "个人检视", "剖析材料", "检查材料")),
    ("述职", ("述职", "述责述廉", "述廉")),
    ("汇报发言", ("发言材料", "汇报发言", "交流发言", "表态发言", "发言稿", "发言")),
    ("工作要点", ("工作要点", "要点")),
    ("工作计划", ("工作计划", "工作安排", "工作思路", "计划")),
    ("实施方案", ("实施方案", "工作方案", "方案")),
    ("讲话", ("讲话", "致辞", "党课")),
    ("调研报告", ("调研报告", "调研")),
    ("工作总结", ("工作总结", "总结", "年度报告")),
    ("工作汇报", ("工作汇报", "情况汇报", "汇报")),
    ("工作报告", ("工作报告", "报告")),
    ("通知", ("通知",)),
    ("意见", ("意见",)),
)
OTHER = "其他"


def classify(title: str, file_stem: str, text: str, headings: tuple[Heading, ...]) -> tuple[str, str]:
    """(type, how it was decided): 'title', 'file name', 'structure' or 'default'."""
    for source, label in ((title, "title"), (file_stem, "file name")):
        found = _by_words(source)
        if found:
            return found, label
    found = _by_structure(text, headings)
    if found:
        return found, "structure"
    return OTHER, "default"


def _by_words(text: str) -> str:
    for name, words in TYPE_WORDS:
        if any(word in text for word in words):
            return name
    return ""


def _by_structure(text: str, headings: tuple[Heading, ...]) -> str:
    heads = " ".join(h.text for h in headings)
    opening, closing = text[:400], text[-300:]
    if re.search(r"问题产生的原因|根源|检视", heads) and re.search(r"整改|努力方向", heads):
        return "对照检查"
    if "本人" in text[:600] and re.search(r"不足|差距|问题", heads):
        return "述职"
    if re.search(r"尊敬的|同志们", opening) or re.search(r"汇报完毕|谢谢", closing):
        return "汇报发言"
    if re.search(r"汇报如下", opening):
        return "工作汇报"
    if re.search(r"下步|下一步|明年|打算", heads) and re.search(r"成效|成绩|主要工作", heads + opening):
        return "工作总结"
    return ""


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
