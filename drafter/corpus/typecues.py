"""The evidence a report gives of its type: title words, and the report's own vocabulary.

Each cue is a pattern, the type it speaks for, a weight and where it is looked for. Weights are
points on one scale: a title that names its type gives 6, a cue no other kind of report uses
(述职如下, 我讲三点意见, 制定本方案) 3–4, a cue several kinds share 1–2. ``doctype.classify`` adds
them up; ``drafter corpus --why`` shows each cue that fired. To add a cue, add a line here and a
case to tests/test_doctype.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TYPES = ("述职", "工作总结", "工作要点", "工作计划", "实施方案", "汇报发言", "工作汇报", "讲话", "调研报告",
         "对照检查", "工作报告", "通知", "意见")
PLANS = ("工作要点", "工作计划", "实施方案")


@dataclass(frozen=True)
class TitleWord:
    pattern: re.Pattern[str]
    doc_type: str
    weight: float


def _t(pattern: str, doc_type: str, weight: float = 6.0) -> TitleWord:
    return TitleWord(re.compile(pattern), doc_type, weight)


# The word of a title that names the type. Where a title names two (述职评议会上的讲话, 工作总结
# 及工作计划), ``doctype`` takes the head: the one that ends last, or the first of 甲及乙.
TITLE_WORDS: tuple[TitleWord, ...] = (
    _t(r"述职|述廉|述责", "述职"),
    _t(r"履职(情况)?的?报告", "述职", 4),
    _t(r"对照检查|检视剖析|个人检视|剖析材料|检查材料|检视材料|检视问题|查摆问题", "对照检查"),
    _t(r"生活会[^，。]{0,12}(发言提纲|发言材料|提纲)", "对照检查"),
    _t(r"汇报发言|交流发言|表态发言|典型发言|发言材料|发言稿|发言摘要|发言提纲|(交流|座谈)[^，。]{0,4}会上的发言", "汇报发言"),
    _t(r"发言", "汇报发言", 4),  # 在…会议上的发言 is also what a leader gives: content decides
    _t(r"交流材料|经验材料|研讨材料", "汇报发言", 4),
    _t(r"工作要点|要点", "工作要点"),
    _t(r"工作计划|计划|工作安排|工作思路|工作打算", "工作计划"),
    _t(r"实施方案|工作方案|方案", "实施方案"),
    _t(r"讲话|致辞|讲稿|党课", "讲话"),
    _t(r"调研报告|调研|调查报告|调查与思考|实践与思考|调查", "调研报告"),
    _t(r"工作总结|总结|年度报告|年报", "工作总结"),
    _t(r"自评报告|自查报告|自评材料|自查情况|(工作|开展)情况$", "工作总结", 2),
    _t(r"工作汇报|情况汇报|汇报材料|汇报", "工作汇报"),
    _t(r"政府工作报告|工作报告|代表大会上的报告", "工作报告"),
    _t(r"报告", "工作报告", 2),
    _t(r"情况的?报告", "工作汇报", 2),
    _t(r"通知", "通知"),
    _t(r"意见", "意见"),
)


@dataclass(frozen=True)
class Cue:
    doc_type: str
    pattern: re.Pattern[str]
    weight: float
    where: str  # opening | closing | headings | body
    name: str  # how --why names it
    cap: int = 1  # how many hits count (each one weight)


def _c(doc_type: str, where: str, pattern: str, weight: float, name: str, cap: int = 1) -> Cue:
    return Cue(doc_type, re.compile(pattern, re.M), weight, where, name, cap)


CUES: tuple[Cue, ...] = (
    # 述职: the writer accounts for their own post (本人, 履职, 述廉) and asks to be assessed.
    _c("述职", "body", r"述职(报告)?如下|(做|作)(如下|一个|简要)?述职|述职述廉如下|述廉如下|述责述廉|述德述职", 4, "述职如下"),
    _c("述职", "body", r"请予评议|予以评议|请[^。]{0,10}评议", 3, "请予评议"),
    _c("述职", "body", r"本人", 0.7, "本人", cap=4),
    _c("述职", "opening", r"(我|本人)(作为|担任|任|自\d{4}年)|我是[^。]{0,20}(调入|任|担任)", 1.5, "我作为/担任"),
    _c("述职", "body", r"履职|履行[^。，]{0,8}职责", 0.5, "履职", cap=3),
    _c("述职", "body", r"廉洁自律|廉洁从政|一岗双责", 0.7, "廉洁自律"),
    _c("述职", "headings", r"履职|述廉|廉洁|个人", 1.5, "履职/廉洁 heading"),
    # 工作总结: the period under review, what was done and the figures it came to.
    _c("工作总结", "opening", r"总结如下|回顾如下|总结(汇报)?如下|现将[^。]{0,40}总结", 4, "总结如下"),
    _c("工作总结", "opening", r"^(一年来|年初以来|本学期|过去的一年|(今年|本年度?|\d{4}年度?)?(以来|上半年|下半年|[一二三四]季度|第[一二三四]季度)|\d{4}年度?[，,])"
       r"(?![^。]{0,40}(将(?!来)|要(?![求点素闻害件])|力争|计划|拟))", 1.5, "一年来/今年以来"),
    _c("工作总结", "body", r"政府信息公开(工作)?(年度)?报告|信息公开年报|主动公开政府信息情况|收到和处理政府信息公开申请", 4, "信息公开年报"),
    _c("工作总结", "headings", r"主要工作|工作成效|取得的成效|主要做法|工作开展情况|完成情况|工作回顾|主要成效|工作成绩", 1.5, "成效 heading"),
    _c("工作总结", "headings", r"下一?步|下步|明年|今后|打算|设想", 1, "打算 heading"),
    _c("工作总结", "opening", r"自评|自查", 1, "自评/自查"),
    _c("工作总结", "body", r"取得了?(扎实|明显|显著|积极|良好|较好|一定|阶段性)?的?(成效|成绩|进展|实效)", 1.5, "取得成效"),
    _c("工作总结", "headings", r"情况$", 0.5, "…情况 heading", cap=3),
    # 工作要点 / 工作计划 / 实施方案: what is to be done.
    _c("工作要点", "opening", r"总体要求是|总体思路是|总体目标是|主要预期目标", 2, "总体要求是"),
    _c("工作要点", "opening", r"\d{4}年是[^。]{2,40}之年", 1, "某年是…之年"),
    *(_c(t, "headings", r"指导思想|工作目标|主要目标|目标任务|重点任务|主要任务|重点工作|保障措施|工作要求|工作措施", 1.5, "目标/任务 heading")
      for t in PLANS),
    _c("工作计划", "body", r"(工作)?安排如下|计划如下|月份安排|行事历|^[一二三四五六七八九十]{1,2}月[:：]|^\d{1,2}月[:：份]", 2, "安排如下/月份安排"),
    _c("工作计划", "body", r"(特)?制定本计划", 4, "制定本计划"),
    _c("工作计划", "opening", r"本学期|新学期|本学年", 1, "本学期"),
    _c("实施方案", "body", r"(特)?制定本方案|制定[^。]{0,20}方案如下|方案如下", 4, "制定本方案"),
    _c("实施方案", "headings", r"实施步骤|工作步骤|进度安排|实施范围|组织实施|职责分工|实施阶段|阶段", 2, "实施步骤 heading"),
    _c("实施方案", "body", r"责任单位[:：]|牵头单位[:：]|〔责任单位", 1.5, "责任单位"),
    # 汇报发言: a unit speaking at a meeting, to leaders or peers.
    _c("汇报发言", "opening", r"^尊敬的", 1.5, "尊敬的…"),
    _c("汇报发言", "opening", r"根据会议安排", 1.5, "根据会议安排"),
    _c("汇报发言", "opening", r"(作|做)(一个|简要|简单)?(交流|发言)|交流如下|发言如下|(谈|交流)[^。]{0,6}(体会|做法|感受)", 2.5, "作交流发言"),
    _c("汇报发言", "closing", r"(汇报|发言)完毕|谢谢(大家)?[！!。]?\s*$", 2, "汇报完毕/谢谢"),
    _c("汇报发言", "closing", r"不妥之处|批评指正", 1, "批评指正"),
    # 工作汇报: a situation reported upward, often to visiting leaders.
    _c("工作汇报", "opening", r"莅临|检查指导|指导工作", 2, "莅临指导"),
    _c("工作汇报", "opening", r"情况(汇报|报告)如下|作(简要)?汇报", 1, "情况汇报如下"),
    # 讲话: a leader addressing a meeting.
    _c("讲话", "body", r"(讲|谈|强调|提)(几|三|两|二|四|五|六)点(意见|要求|希望|看法|体会)?|(讲|谈)几点|(讲|谈)(几|三|两|二|四|五|六)个(方面|问题)", 4, "讲几点意见"),
    _c("讲话", "body", r"今天[，,]?(我们)?(在这里)?(隆重)?(召开|举行)", 3, "今天我们召开"),
    _c("讲话", "body", r"这次(会议|大会)的(主要)?任务|会议的(主题|主要任务|目的|任务)(是|很明确)|会议(开得|开的)|(这次|本次|今天)[^。，]{0,30}(会议|大会)[，,]?是", 2.5, "会议的主要任务是"),
    _c("讲话", "body", r"即将(胜利|顺利)?闭幕|圆满完成了?(预定的)?各项议程", 3, "即将闭幕"),
    _c("讲话", "body", r"(我们|大家|各级|各地|各部门|各单位|上下|同志们)[^。，；]{0,3}(一定|必须|务必|要)", 0.5, "我们要/各级要", cap=4),
    _c("讲话", "body", r"(^|[。；，：])要(?![求点素闻件害])", 0.4, "要…（指示）", cap=5),
    _c("讲话", "body", r"刚才[，,]?[^。]{0,30}(作了|做了|讲了|通报了?|发言|汇报|部署|讲得)", 3, "刚才…发言"),
    _c("讲话", "body", r"希望(大家|各级|全县|全市|全区|全镇|同志们|你们|全体)|各级各部门要|大家要", 1.5, "希望大家"),
    _c("讲话", "body", r"我代表(县委|市委|区委|镇党委|党委|党组|县委县政府|市委市政府|区委区政府|县政府|市政府|区政府)[^。]{0,20}(祝贺|欢迎|感谢|慰问|问候)", 2, "我代表…表示祝贺"),
    _c("讲话", "body", r"开幕|动员大会|推进会|现场会", 1, "会议"),
    _c("讲话", "closing", r"同志们[，,！!]", 1.5, "同志们，让我们…"),
    _c("讲话", "opening", r"^(同志们|各位代表、同志们|同志们、朋友们)[：:]", 1, "同志们："),
    # 调研报告: an investigation and what it suggests.
    _c("调研报告", "body", r"调研组|调查组|课题组", 3, "调研组"),
    _c("调研报告", "body", r"(开展|进行)了?(专题|实地)?调研|深入[^。]{0,16}调研|实地调研|走访调研|调研发现|调查显示|问卷", 2, "开展调研"),
    _c("调研报告", "headings", r"对策|建议|思考|调研(背景|目的|方法)", 2, "对策建议 heading"),
    _c("调研报告", "body", r"笔者", 1, "笔者"),
    # 对照检查: problems found in oneself, their roots, and what will be changed.
    _c("对照检查", "body", r"对照检查(如下|材料)|(现|特)对照检查|检视剖析如下|剖析如下", 4, "对照检查如下"),
    _c("对照检查", "body", r"对照检查|检视剖析|查摆", 1.5, "查摆"),
    _c("对照检查", "body", r"剖析|根源", 1.5, "剖析根源"),
    _c("对照检查", "headings", r"原因|根源|剖析", 2, "原因剖析 heading"),
    _c("对照检查", "headings", r"整改|努力方向", 1.5, "整改措施 heading"),
    _c("对照检查", "body", r"民主生活会|组织生活会|专题生活会", 1.5, "生活会"),
    _c("对照检查", "body", r"批评和自我批评|批评与自我批评", 1, "批评与自我批评"),
    # 工作报告: a report to a representative assembly (人代会, 党代会, 教代会), for its review.
    _c("工作报告", "opening", r"各位代表", 1.5, "各位代表"),
    _c("工作报告", "body", r"请予审议|请[^。]{0,10}审议|予以审议", 3, "请予审议"),
    _c("工作报告", "body", r"向大会(作|报告)|向大会作[^。]{0,10}报告", 3, "向大会报告"),
    _c("工作报告", "headings", r"过去(一|五)年|今后五年|新学年|(\d{4}年)?工作安排|目标任务", 1, "回顾/安排 heading"),
    # 通知: a notice that hands something down.
    _c("通知", "opening", r"印发给你们|请认真贯彻执行|请遵照执行|特此通知", 2, "印发给你们"),
)

# 现将…汇报如下: the words before 汇报 say what is reported (党建工作总结汇报如下 is a 总结).
REPORTED_AS = re.compile(r"现将([^。：:]{0,40}?)(汇报|报告)如下")
REPORTED_NOUN: tuple[tuple[str, str], ...] = (
    ("述职", "述职"), ("履职", "述职"), ("职责", "述职"), ("总结", "工作总结"), ("调研", "调研报告"), ("对照检查", "对照检查"),
    ("检视", "对照检查"), ("", "工作汇报"),
)
# A sentence with a data number (a count, an amount, a share): done (a summary's figure) or to be
# done (a plan's target), as its tense says.
FIGURE = re.compile(
    r"\d+(\.\d+)?\s*(余|多)?\s*(万|亿)?\s*(余|多)?\s*(个百分点|人次|场次|批次|平方米|公里|小时|个|件|条|次|人|名|家|项|场|元|户|宗|所|篇|期|亩|吨|台|套|座|处|册|份|%|％|分|天)"
)
FUTURE = re.compile(r"将(?!来|近|军)|要(?!求|点|素|闻|害|件)|力争|确保|拟|预计|争取|计划(?!生育)|不少于|至少|不低于")
PAST = re.compile(r"了|已|完成|取得|累计|共计|同比|较上年|比上年|获评|荣获|全年")
