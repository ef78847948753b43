"""The scripted drafting scenario shared by the engine and terminal tests: a 4-section 述职 outline,
the grounded answer a model gives for each section, and which section a request is for."""

from __future__ import annotations

from tests.conftest import REPO, section_line

FACTS = REPO / "examples" / "facts_述职.yaml"

OUTLINE = """# 2023年市局主要领导工作述职
<!-- drafter outline: type=述职; source=test -->

## 〔开头〕
- fact: 党建集体荣誉
- fact: 个人荣誉

## 一、个人履职情况

### （一）突出组织建设，筑牢基层堡垒
- fact: 整改问题

### （二）突出内涵建设，促进中心工作
- fact: 局机关志愿服务
- fact: 人均志愿服务时长

## 二、存在的不足
"""

GOOD = {
    "〔开头〕": "过去一年，机关党建共获集体荣誉22项，个人荣誉61人次。",
    "（一）突出组织建设": "通过专题调研，整改了近200个问题，基层组织更加规范。",
    "（二）突出内涵建设": "局机关全年开展志愿服务14场，人均时长23.5小时。",
    "二、存在的不足": "对基层组织的指导和督促还需加强。",
}


def section_of(body: dict) -> str:
    """Which section a drafting request is for (the user message names it)."""
    from drafter.drafting.context import PART_NAMES

    line = section_line(body)
    return next(key for key in GOOD if key in line or PART_NAMES.get(key, key) in line)
