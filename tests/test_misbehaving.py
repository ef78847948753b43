"""A misbehaving model, scripted on the fake OpenAI server: it echoes its prompt, adds Markdown,
headings, preambles and closing remarks, spills into the next section, loops on a sentence with a
changed verb, copies last year's paragraph with last year's figures, invents a figure and puts a
supplied figure under another indicator. None of it may reach the saved draft unflagged, what is
shown is what is saved, and `draft --yes` exits as `drafter check` does."""

from __future__ import annotations

import json
import re

import pytest

from drafter.facts.load import load_facts
from drafter.numbers.check import check_text
from tests.conftest import section_line
from tests.fake_openai import FakeOpenAI
from tests.scripted import OUTLINE
from tests.test_draft import drafter, latest_run, project  # noqa: F401  (the fixture)

FACTS_2024 = """title: 2024年市局主要领导工作述职
period: 2024年
facts:
  - name: 党建集体荣誉
    value: 25项
  - name: 个人荣誉
    value: 70人次
  - name: 整改问题
    value: 近240个
  - name: 局机关志愿服务
    value: 18场
  - name: 人均志愿服务时长
    value: 26小时
"""
LAST_YEARS_PARAGRAPH = ("通过专题调研，对基层党组织进行全面体检，整改了90多个支部中存在的近200个问题。"
                        "制定《教育局机关“四强”党支部建设推进计划》，推动基层党建提档升级。")
LOOP = "".join(f"全体干部{verb}参与志愿服务，群众满意度明显提高。" for verb in ("积极", "主动", "踊跃"))
MISATTRIBUTED = "举办读书分享活动18场。"  # 18场 is 局机关志愿服务's figure


def misbehave(body: dict) -> str:
    system, user = body["messages"][0]["content"], body["messages"][-1]["content"]
    if "核稿" in system:
        return user  # the repair prompt echoed back, as in the demo that saved 「【本节可用数据】…」
    line = section_line(body)
    if "开头" in line:
        return ("好的，以下是“开头部分”的正文：\n\n## 〔开头〕\n\n- 党建集体荣誉：25项\n"
                "**一年来**，机关党建共获集体荣誉25项，各项工作稳步推进。\n\n希望以上内容对您有所帮助！")
    if "组织建设" in line:
        return "【正文】\n" + LAST_YEARS_PARAGRAPH  # copied, even when told 「不要照搬」
    if "内涵建设" in line:
        return ("### （二）突出内涵建设，促进中心工作\n\n局机关全年开展志愿服务18场，人均时长26小时，服务群众3万人次。"
                + MISATTRIBUTED + LOOP + "\n\n二、存在的不足\n\n对基层组织的指导和督促还需加强。")
    return user  # 存在的不足: nothing but its own prompt


@pytest.fixture
def facts_2024(project):  # noqa: F811
    path = project[0] / "facts_2024.yaml"
    path.write_text(FACTS_2024, encoding="utf-8")
    return path


def args(facts) -> list[str]:
    return ["draft", "--type", "述职", "--facts", str(facts), "--outline", "outline.md", "-o", "draft.md", "--yes"]


def sections(run) -> dict[int, dict]:
    out = {}
    for path in sorted((run / "sections").glob("[0-9][0-9].md")):
        head, text = path.read_text(encoding="utf-8").split("\n---\n", 1)
        out[int(path.stem)] = {**json.loads(head.removeprefix("---\n")), "text": text}
    return out


def test_nothing_the_misbehaving_model_does_reaches_the_draft_unflagged(project, facts_2024):  # noqa: F811
    with FakeOpenAI(responder=misbehave) as fake:
        result = drafter(project, fake, *args(facts_2024))
        asked = [r.json for r in fake.history if r.method == "POST"]
    text = (project[0] / "draft.md").read_text(encoding="utf-8")
    body = text.split("\n", 2)[2]  # below the title
    for leaked in ("好的", "以下是", "希望以上", "本节可用数据", "请输出", "仅供对比", "【正文】", "【原文】",
                   "**", "参考材料", "全文提纲", "- 党建集体荣誉", "没有数据来源"):
        assert leaked not in body, leaked
    headings = [line for line in body.splitlines() if line.startswith("#")]
    assert headings == ["## 一、个人履职情况", "### （一）突出组织建设，筑牢基层堡垒", "### （二）突出内涵建设，促进中心工作",
                        "## 二、存在的不足"]  # only the outline's headings
    # the loop is cut to its first sentence; the spill into 二、 is not in section (二)
    assert body.count("群众满意度明显提高") == 1
    saved = sections(latest_run(project[0]))
    assert "对基层组织的指导和督促" not in saved[3]["text"]
    # last year's paragraph: its figures are flagged, the copy is recorded, the model was told 「不要照搬」
    assert "90多个〔待核：数据中没有这个数字〕" in body and "近200个〔待核：数据中没有这个数字〕" in body
    assert saved[2]["guard"]["copy_share"] > 0.5 and saved[2]["guard"]["copy_regenerated"]
    assert saved[2]["guard"]["copied"][0]["source"] == "《2023年市局主要领导工作述职》"
    assert any("不要照搬" in r["messages"][-1]["content"] and "通过专题调研" in r["messages"][-1]["content"] for r in asked)
    # the repair that echoed its prompt was rejected: the original stays, with its problems marked
    assert "repair round 1 rejected" in saved[2]["note"] and saved[2]["guard"]["repairs"][0] != "accepted"
    # the invented figure is marked
    assert "3万人次〔待核：数据中没有这个数字〕" in body
    # the section that was nothing but prompt: asked twice, then left to be rewritten, never saved as text
    assert saved[4]["status"] == "failed" and saved[4]["text"] == "" and "〔本节需重写〕" in body
    assert sum("存在的不足" in section_line(r) for r in asked) == 2
    # what was removed is recorded and said; so are the facts left unused
    assert {"preamble", "markdown", "echo", "closing"} <= {r["kind"] for r in saved[1]["guard"]["removed"]}
    assert "loop" in {r["kind"] for r in saved[3]["guard"]["removed"]}
    assert "spill" in {r["kind"] for r in saved[3]["guard"]["removed"]}
    assert saved[1]["guard"]["unused_facts"] == ["个人荣誉"]
    assert "已去除：提示词回显" in result.stderr and "本节未用数据：个人荣誉" in result.stderr
    # what stderr shows of each section is what was saved, byte for byte
    for state in saved.values():
        if state["text"]:
            assert state["text"] in result.stderr
    assert "好的，以下是" not in result.stderr and LAST_YEARS_PARAGRAPH.replace("90多个", "") not in body
    # `draft --yes` exits as `drafter check` does
    check = drafter(project, None, "check", "draft.md", "--facts", str(facts_2024), "--json")
    assert result.returncode == check.returncode == 1, result.stderr
    copying = json.loads(check.stdout)["copying"]
    assert copying["sources"][0]["source"] == "《2023年市局主要领导工作述职》" and copying["share"] > 0


def test_a_supplied_figure_under_the_wrong_indicator_is_marked(project, facts_2024):  # noqa: F811
    """18场 is a supplied figure (局机关志愿服务) under 读书分享活动: the checker calls it an error, and
    the drafting loop marks whatever the checker calls an error."""
    facts = load_facts(facts_2024)
    probe = check_text("局机关全年开展志愿服务18场。" + MISATTRIBUTED, facts)
    assert [f.status for f in probe.findings if f.severity == "error"] == ["misattributed"]
    with FakeOpenAI(responder=misbehave) as fake:
        drafter(project, fake, *args(facts_2024))
    body = (project[0] / "draft.md").read_text(encoding="utf-8")
    assert re.search(r"读书分享活动18场〔待核", body)


def test_the_terminal_shows_last_what_is_saved_byte_for_byte(tmp_path, sample_index):
    """The live stream shows the raw answer; once it is cleared, what the session prints is the
    guarded text, exactly as sections/01.md holds it (wrapped at 80 columns, nothing else)."""
    pytest.importorskip("pexpect")
    from tests.conftest import copy_project
    from tests.test_terminal import OUTLINE_PROMPT, Term, run_dir

    cwd = copy_project(sample_index, tmp_path / "p")
    (cwd / "outline.md").write_text(OUTLINE, encoding="utf-8")
    (cwd / "facts_2024.yaml").write_text(FACTS_2024, encoding="utf-8")
    with FakeOpenAI(responder=misbehave) as fake:
        term = Term(cwd, fake, "draft", "--type", "述职", "--facts", "facts_2024.yaml", "--outline", "outline.md",
                    "-o", "draft.md", NO_COLOR="1")
        term.expect(OUTLINE_PROMPT)
        term.send("a")
        shown = term.prompt()
        term.send("q")
        term.end()
    assert "好的，以下是" in term.transcript  # the raw answer did stream live ...
    after = shown.rsplit("Ctrl-C stops", 1)[1]  # ... and what is printed once the live view is gone:
    head, text = (run_dir(cwd) / "sections" / "01.md").read_text(encoding="utf-8").split("\n---\n", 1)
    assert text == "一年来，机关党建共获集体荣誉25项，各项工作稳步推进。"
    assert text.replace("\n", "") in after.replace("\n", "")
    for leaked in ("好的", "以下是", "## ", "**", "- 党建集体荣誉", "希望以上"):
        assert leaked not in after, leaked
    assert "已去除：提示词回显 1 处、开场白 2 句、结束语 1 句、Markdown 标记 3 处、标签 1 处" in after.replace("\n", "")
    assert "本节未用数据：个人荣誉" in after


def test_an_answer_drafted_again_that_reaches_the_length_cap_ends_at_a_full_sentence(project, facts_2024):  # noqa: F811
    """The copy guard's second answer is not streamed; cut at max_tokens, it keeps whole sentences."""
    from tests.fake_openai import FakeReply

    def copies_then_runs_long(body: dict):
        if "组织建设" not in section_line(body):
            return misbehave(body)
        if "不要照搬" in body["messages"][-1]["content"]:
            return FakeReply("一年来，我局对基层党组织开展全面体检，推动问题整改。持续推进四强支部建设，支部建",
                             finish_reason="length")
        return LAST_YEARS_PARAGRAPH

    with FakeOpenAI(responder=copies_then_runs_long) as fake:
        drafter(project, fake, *args(facts_2024))
    saved = sections(latest_run(project[0]))[2]
    assert "drafted again" in saved["note"] and saved["text"].strip().endswith("推动问题整改。")
