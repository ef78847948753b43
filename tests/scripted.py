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


# Sentences unlike each other, for a scripted model that must answer every section of a long outline:
# one answer given to every section is a loop the output guard removes (a section may not open with
# an earlier section's first sentence).
OTHER_SECTIONS = ("理论学习走深走实。", "支部建设更加规范。", "课后服务惠及更多家庭。", "清廉学校建设见到实效。",
                  "政治生态持续向好。", "示范引领作用有待发挥。", "组织管理制度逐步健全。", "理想信念更加坚定。",
                  "服务意识明显增强。", "改革创新步伐加快。", "廉洁自律要求落到实处。", "校园安全防线更加牢固。",
                  "家校协同育人机制逐步完善。", "教师队伍结构持续优化。", "督导评估结果运用更加充分。")


def one_answer_then_others(first: str):
    """A responder: ``first`` for the first section asked, then a sentence of its own for each other
    section (the same one again when a section is asked again)."""
    given: dict[str, str] = {}
    others = iter(OTHER_SECTIONS * 4)

    def respond(body: dict) -> str:
        line = section_line(body)
        if line not in given:
            given[line] = first if not given else next(others)
        return given[line]

    return respond
