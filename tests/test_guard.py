"""The output guard, the copy guard and the repair verdict: pure tables, then the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.corpus.document import parse_document
from drafter.drafting.copying import copied_runs, copied_sentences
from drafter.drafting.guard import GuardContext, Removal, flagged_names, guard_answer, summary
from drafter.drafting.section import content_similarity, repair_verdict, unused_facts
from drafter.facts.load import load_facts
from drafter.numbers.check import check_text
from tests.conftest import SAMPLE_CORPUS
from tests.scripted import FACTS

OWN = ("一、个人履职情况", "（二）突出内涵建设，促进中心工作")
CTX = GuardContext(
    own_path=OWN,
    other_headings=("〔开头〕", "（一）突出组织建设，筑牢基层堡垒", "二、存在的不足", "三、努力的方向"),
    title="2023年市局主要领导工作述职",
    prompt_text="你是党政机关办公室里经验丰富的文字材料起草人员。请严格遵守以下要求：一、文风。使用规范的公文语体，"
                "庄重、准确、平实、简练。观点在前、做法在后、成效收尾，多写具体做法和实际成效。请输出修改后的整节正文。",
    prompt_lines=("- 局机关志愿服务：14场", "- 〔开头〕：一年来，机关党建共获集体荣誉22项……"),
    fact_lines=(("局机关志愿服务", "14场"), ("人均志愿服务时长", "23.5小时"), ("师德专题培训", "92.6%")),
    passages=("深入开展志愿服务活动，局机关共开展志愿服务〔数〕场，人均达到〔数〕，群众满意度不断提升，形成了良好的社会风尚。",),
    office_words="局机关志愿服务 人均志愿服务时长 市教育局",
)
PROSE = "局机关全年开展志愿服务14场，人均时长23.5小时。"


@pytest.mark.parametrize(
    "raw, kinds",
    [
        # preambles and closing remarks
        (f"好的，以下是“（二）突出内涵建设”这一节的正文：\n{PROSE}", {"preamble"}),
        (f"当然！\n\n{PROSE}", {"preamble"}),
        (f"根据您提供的资料，{PROSE}", {"preamble"}),
        (f"{PROSE}\n希望以上内容对您有所帮助！如需修改请告诉我。", {"closing"}),
        (f"{PROSE}\n（全文完）", {"closing"}),
        (f"{PROSE}\n注：以上数据均取自所给材料。", {"closing"}),
        (f"{PROSE}\n此致\n敬礼！", {"closing"}),
        (f"尊敬的各位领导、同志们：\n{PROSE}", {"salutation"}),  # a section in the middle addresses nobody
        (f"{PROSE}以下是我个人在这一年中履行职责的一些主要做法和成效。", {"preamble"}),
        # Markdown and list numbering
        (f"## （二）突出内涵建设，促进中心工作\n{PROSE}", {"markdown", "heading"}),
        (f"**一是**{PROSE}", {"markdown"}),
        (f"- {PROSE}", {"markdown"}),
        (f"```\n{PROSE}\n```", {"markdown"}),
        (f"1. {PROSE}", {"numbering"}),
        (f"（1）{PROSE}", {"numbering"}),
        (f"① {PROSE}", {"numbering"}),
        # labels
        (f"【正文】\n{PROSE}", {"label"}),
        (f"【正文】{PROSE}", {"label"}),
        (f"【开头】{PROSE}", {"label"}),  # the outline's part name as a label, in the model's brackets
        (f"正文：{PROSE}", {"label"}),
        # prompt echo
        (f"{PROSE}\n局机关志愿服务：14场", {"echo"}),
        (f"{PROSE}\n师德专题培训：92.6%；上期为90.1%（仅供对比，不得作为本期数据）", {"echo"}),
        (f"一、个人履职情况 > （二）突出内涵建设，促进中心工作\n{PROSE}", {"echo"}),
        (f"{PROSE}使用规范的公文语体，庄重、准确、平实、简练。", {"echo"}),
        (f"【本节可用数据】\n- 局机关志愿服务：14场\n{PROSE}\n请输出修改后的整节正文。", {"label", "echo", "markdown"}),
        (f"{PROSE}\n- 〔开头〕：一年来，机关党建共获集体荣誉22项……", {"echo", "markdown"}),
        (f"【片段1】出自：2023年述职 › 开头\n{PROSE}", {"echo"}),
        ("深入开展志愿服务活动，局机关共开展志愿服务【待补】场，人均达到【待补】，群众满意度不断提升，形成了良好的社会风尚。\n"
         + PROSE, {"echo"}),  # a reference passage dumped whole
        # headings: own, the title, another section's (the spill), the model's own
        (f"（二）突出内涵建设，促进中心工作\n{PROSE}", {"heading"}),
        (f"2023年市局主要领导工作述职\n{PROSE}", {"heading"}),
        (f"{PROSE}\n二、存在的不足\n对基层组织的指导和督促还需加强。", {"spill"}),
        (f"{PROSE}\n### 三、努力的方向\n树立自觉学习意识。", {"markdown", "spill"}),
        (f"{PROSE}\n（一）突出组织建设，筑牢基层堡垒。一是规范基层组织。", {"spill"}),
        (f"（一）加强志愿服务\n{PROSE}", {"heading"}),
        (f"{PROSE}\n1. 强化组织保障", {"heading"}),
        # loops: a sentence said again with a word changed; a paragraph said again; a clause twice
        (f"{PROSE}全体干部积极参与志愿服务，群众满意度明显提高。全体干部主动参与志愿服务，群众满意度显著提升。", {"loop"}),
        (f"{PROSE}\n{PROSE}", {"loop"}),
        (f"{PROSE}持续优化教育公共服务水平，着力提升服务效能，持续优化教育公共服务水平。", {"loop"}),
    ],
)
def test_what_the_guard_removes(raw, kinds):
    guarded = guard_answer(raw, CTX)
    assert {r.kind for r in guarded.removals} == kinds, guarded.removals
    assert PROSE in guarded.text and not guarded.failed


@pytest.mark.parametrize(
    "prose",
    [
        PROSE,
        "一、个人履职情况方面，我们做了工作。",
        "一是强化政治属性。二是严肃政治生活。三是提炼党建成果。",
        "今年以来，本人履行党建第一责任人职责，推进教育事业高质量发展。",
        "镇级财政收入12.89亿元，完成年度目标的75.84%；工业固定资产投资4.24亿元，完成年度目标的38.55%。",  # parallel figures
        "组织开展“不忘育人初心，聚力美好教育”学习教育；组织开展“不忘育人初心，争做一流教师”主题活动。",
        "以上是我的述职报告，不妥之处，请批评指正。",  # a report's own closing stays
        "尊敬的**书记、**组长，**中学等5个党组织获评示范点。",  # ** masks names, it is not bold
        "全体教师参训，形成问题清单、任务清单、责任清单。",
        "可以说，这一年是攻坚克难的一年。",
        "下面将一年来的工作汇报如下：",  # a report announcing its own parts
        "全年新增学位【待补】个，〔待核：数据中没有这个数字〕留给写作者。",
    ],
)
def test_what_the_guard_keeps(prose):
    assert guard_answer(prose, CTX).text == prose


def test_the_opening_may_address_the_readers_unless_the_outline_has_a_salutation_part():
    opening = GuardContext(own_path=("〔开头〕",), other_headings=("一、个人履职情况",))
    assert guard_answer(f"尊敬的各位领导、同志们：\n{PROSE}", opening).text.startswith("尊敬的各位领导")
    with_part = GuardContext(own_path=("〔开头〕",), other_headings=("〔称谓〕", "一、个人履职情况"))
    assert not guard_answer(f"尊敬的各位领导、同志们：\n{PROSE}", with_part).text.startswith("尊敬的")
    salutation = GuardContext(own_path=("〔称谓〕",))
    assert guard_answer("尊敬的各位领导、同志们：", salutation).text == "尊敬的各位领导、同志们："
    # A stored document's text before its first heading is its opening: a 发言's salutation stays.
    assert guard_answer(f"尊敬的各位领导，同志们：\n{PROSE}", GuardContext(own_path=())).removals == ()


def test_an_answer_of_nothing_but_prompt_is_a_failed_call():
    echo = ("【这一节】\n一、个人履职情况 > （二）突出内涵建设，促进中心工作\n\n【本节可用数据】\n- 局机关志愿服务：14场\n"
            "- 人均志愿服务时长：23.5小时\n\n请输出修改后的整节正文。")
    guarded = guard_answer(echo, CTX)
    assert guarded.text == "" and guarded.failed.startswith("the answer held nothing but removed material")


def test_an_answer_of_a_fragment_beside_much_removed_material_is_a_failed_call():
    # the bundled model's 〔开头〕 in a demo: the facts block echoed, one fact name left standing
    echo = "- 局机关志愿服务：14场\n- 人均志愿服务时长：23.5小时\n- 师德专题培训：92.6%\n\n局机关志愿服务："
    guarded = guard_answer(echo, CTX)
    assert guarded.text == "" and guarded.failed.startswith("the answer held nothing but removed material")
    fragment = guard_answer("- 局机关志愿服务：14场\n- 人均志愿服务时长：23.5小时\n- 师德专题培训：92.6%\n\n工作稳步推进。", CTX)
    assert fragment.failed.startswith("the answer held only a fragment (工作稳步推进。)")
    assert not guard_answer("尊敬的各位领导：", GuardContext(own_path=("〔称谓〕",))).failed  # short, nothing removed


@pytest.mark.parametrize(
    "raw, kept, kinds",
    [
        (f"局机关志愿服务：{PROSE}", PROSE, {"label"}),  # a fact's name as the line's label
        (f"{PROSE}\n志愿服务的场次：14场", PROSE, {"echo"}),  # a fact's value under a name of the model's own
        (f"突出内涵建设，促进中心工作：\n{PROSE}", PROSE, {"heading"}),  # its own heading as a lead-in
        (f"{PROSE}\n突出组织建设，筑牢基层堡垒：\n整改问题。", PROSE, {"spill"}),  # another section's, with a colon
        ("规范基层组织：领导民办教育开展百日攻坚行动。", "规范基层组织：领导民办教育开展百日攻坚行动。", set()),  # a lead-in phrase
        ("抓好学校思政教育，提升思政 education质量。", "抓好学校思政教育，提升思政质量。", {"english"}),  # a small model's slip
        ("推广使用App办理业务，GDP增长。", "推广使用App办理业务，GDP增长。", set()),  # the office's own terms stay
        (f"{PROSE}\n（二）突出内涵建设，推进中心工作。", PROSE, {"heading"}),  # its own heading, numbered, as a sentence
        (f"{PROSE}\n（一）突出组织建设，夯实基层堡垒。", PROSE, {"spill"}),  # another section's, as a sentence
    ],
)
def test_labels_and_headings_written_with_a_colon(raw, kept, kinds):
    guarded = guard_answer(raw, CTX)
    assert guarded.text == kept and {r.kind for r in guarded.removals} == kinds, guarded.removals


def test_an_answer_that_is_mostly_loops_is_a_failed_call():
    pair = ["学校全面加强教师队伍建设，{v}师德师风专题培训。", "全体教师积极参与，{v}了职业道德水平。"]
    verbs = ["开展", "组织", "推进", "实施", "落实", "深化", "强化", "完善", "抓好"]
    loop = "".join(s.format(v=v) for v in verbs for s in pair)
    guarded = guard_answer(loop, CTX)
    assert guarded.failed.startswith("the answer was mostly repetition")
    assert guarded.text.count("全体教师积极参与") == 1


def test_the_summary_line_names_each_kind_once_in_a_fixed_order():
    removals = [Removal("heading", "一、"), Removal("echo", "a"), Removal("echo", "b"), Removal("loop", "c")]
    assert summary(removals) == "提示词回显 2 处、标题 1 行、重复句 1 句"
    assert summary([]) == ""


@pytest.mark.parametrize(
    "text, material, office, flagged",
    [
        ("阳光实验小学开展了读书节活动。", ["阳光实验小学全体师生参加读书节。"], "城南小学", ("阳光实验小学",)),
        ("城南小学开展了读书节活动。", ["阳光实验小学全体师生参加读书节。"], "城南小学", ()),
        ("在王建国校长的带领下，全校完成了改造。", ["王建国校长作动员讲话。"], "城南小学", ("王建国校长",)),
        ("青山镇中心小学新建了食堂。", ["青山镇中心小学食堂投入使用。"], "河西镇", ("青山镇中心小学",)),
        ("各中小学开展了安全教育。", ["各中小学开展安全教育。"], "城南小学", ()),  # generic, not a name
        ("阳光实验小学开展了读书节活动。", [], "城南小学", ()),  # no material: nothing to flag
        ("开展心理咨询和文化下乡活动。", ["开展心理咨询、文化下乡等志愿服务。"], "市教育局", ()),  # 下乡 is no township
    ],
)
def test_names_from_the_material_that_are_not_this_offices(text, material, office, flagged):
    assert flagged_names(text, material, office) == flagged


def test_the_guard_leaves_real_report_prose_alone():
    """Every body of the sample corpus, judged against its own heading: nothing but a ** mask may go."""
    for path in sorted(SAMPLE_CORPUS.glob("*.txt")):
        doc = parse_document(path.name, path.read_text(encoding="utf-8"))
        for block in doc.blocks:
            guarded = guard_answer(block.text, GuardContext(own_path=block.heading_path or ("〔开头〕",)))
            assert not [r for r in guarded.removals if r.kind != "markdown"], (path.name, guarded.removals)


# --- copying -----------------------------------------------------------------------------------

LAST_YEAR = ("2023年述职", "今年局机关共开展志愿服务14场，人均达到23.5小时，群众满意度测评名列第一。"
                         "深入学习贯彻习近平新时代中国特色社会主义思想，推动党建工作落地落实。")


@pytest.mark.parametrize(
    "text, share_above, share_below",
    [
        ("今年局机关共开展志愿服务14场，人均达到23.5小时，群众满意度测评名列第一。", 0.9, 1.01),  # verbatim
        ("今年局机关共开展志愿服务26场，人均达到31小时，群众满意度测评名列第一。", 0.9, 1.01),  # new figures: still copied
        ("局机关全年开展志愿服务14场，人均时长23.5小时。", -0.01, 0.01),  # reworded
        ("我们坚持深入学习贯彻习近平新时代中国特色社会主义思想，抓好落实。", -0.01, 0.01),  # a set phrase is no copy
        ("", -0.01, 0.01),
    ],
)
def test_copied_share_masks_numbers_on_both_sides(text, share_above, share_below):
    report = copied_runs(text, [LAST_YEAR])
    assert share_above < report.share < share_below


def test_copied_runs_name_their_source_and_the_sentence_to_avoid():
    text = "局机关全年开展志愿服务14场。今年局机关共开展志愿服务26场，人均达到31小时，群众满意度测评名列第一。"
    report = copied_runs(text, [("其他材料", "毫不相干的一段文字，说的是别的事情。"), LAST_YEAR])
    [run] = report.runs
    assert run.source == "2023年述职" and run.text.startswith("今年局机关共开展志愿服务26场")
    assert report.by_source == (("2023年述职", pytest.approx(report.share)),)
    assert copied_sentences(report, text) == ("今年局机关共开展志愿服务26场，人均达到31小时，群众满意度测评名列第一。",)


def test_a_run_shorter_than_the_minimum_is_not_copying():
    assert copied_runs("开展志愿服务14场。", [LAST_YEAR], min_run=15).copied == 0
    assert copied_runs("今年局机关共开展志愿服务", [LAST_YEAR], min_run=12).copied == 12


# --- the repair verdict -------------------------------------------------------------------------

FACTS_ = load_facts(FACTS)
ORIGINAL = "今年局机关共开展志愿服务14场，人均达到25小时，服务群众的能力不断提升。"


@pytest.mark.parametrize(
    "candidate, accepted",
    [
        ("今年局机关共开展志愿服务14场，人均达到23.5小时，服务群众的能力不断提升。", ""),  # fixed
        ("今年局机关共开展志愿服务14场，服务群众的能力不断提升。", ""),  # number dropped, sentence kept
        ("今年局机关共开展志愿服务14场，人均达到【待补】小时，服务群众的能力不断提升。", ""),
        (ORIGINAL, "as many problems"),  # nothing changed
        ("今年局机关共开展志愿服务14场，人均达到23.5小时，覆盖群众3万人次。", "brought in"),  # a new invented figure
        ("对基层组织的指导和督促还需加强，落实“三会一课”制度不够到位。", "did not keep"),  # another text
        ("【本节可用数据】\n- 局机关志愿服务：14场\n请输出修改后的整节正文。", "no section"),  # the prompt echoed
    ],
)
def test_a_repair_is_accepted_only_when_it_is_better(candidate, accepted):
    guarded = guard_answer(candidate, CTX)
    verdict = repair_verdict(ORIGINAL, check_text(ORIGINAL, FACTS_), guarded, check_text(guarded.text, FACTS_))
    assert (verdict == "") if accepted == "" else (accepted in verdict), verdict


def test_content_similarity_separates_a_repair_from_another_text():
    fixed = "今年局机关共开展志愿服务14场，人均达到23.5小时，服务群众的能力不断提升。"
    assert content_similarity(ORIGINAL, fixed) > 0.9
    assert content_similarity(ORIGINAL, "对基层组织的指导和督促还需加强。") < 0.3


def test_facts_a_section_leaves_out_are_named():
    facts = [f for f in FACTS_.facts if f.name in ("局机关志愿服务", "人均志愿服务时长")]
    text = "局机关全年开展志愿服务14场。"
    assert unused_facts(facts, check_text(text, FACTS_), text) == ("人均志愿服务时长",)
    text = "局机关全年开展志愿服务14场，人均时长23.5小时。"
    assert unused_facts(facts, check_text(text, FACTS_), text) == ()


def test_the_corpus_reports_share_little_with_each_other():
    """Reports of other offices share set phrases, not runs: the floor under the copy threshold."""
    docs = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(Path(SAMPLE_CORPUS).glob("*.txt"))]
    for name, text in docs:
        others = [d for d in docs if d[0] != name]
        assert copied_runs(text, others).share < 0.05, name


def test_a_section_may_not_open_with_an_earlier_sections_first_sentence_again():
    first = "2023年，我局在市委、市政府的坚强领导下，深入贯彻党的二十大精神，落实习近平总书记关于教育的重要论述"
    again = ("2023年，我局在市委、市政府坚强领导下，深入贯彻党的二十大精神和习近平总书记关于教育的重要论述，"
             "坚持党建第一责任人职责，推动教育事业高质量发展。")
    ctx = GuardContext(own_path=OWN, earlier_openings=(first,))
    guarded = guard_answer(again + PROSE, ctx)
    assert guarded.text == PROSE and [r.kind for r in guarded.removals] == ["loop"]
    assert guard_answer(again + PROSE, GuardContext(own_path=OWN)).text == again + PROSE  # first section: kept
    # a long repeated opening before a short section is no failed call: the section is what follows it
    assert not guard_answer(again + PROSE, ctx).failed and len(again) > 2 * len(PROSE)
