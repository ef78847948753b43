"""`drafter outline --topic`: headings reworded by a model, within bounds, against a scripted server."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from drafter.cli import app
from drafter.llm.client import OpenAIChatModel
from drafter.outline.markdown import parse_outline
from drafter.outline.refine import refine_headings
from drafter.records import Outline, OutlineSection
from tests.conftest import SAMPLE_CORPUS
from tests.fake_openai import FakeOpenAI

OUTLINE = Outline("述职", "述职", (
    OutlineSection("〔开头〕", 0),
    OutlineSection("一、个人履职情况", 1, children=(OutlineSection("（一）加强政治建设", 2), OutlineSection("（二）抓好组织建设", 2))),
    OutlineSection("二、存在的不足", 1),
))


def model(fake: FakeOpenAI) -> OpenAIChatModel:
    return OpenAIChatModel(base_url=fake.base_url, model="fake", max_retries=0, timeout=10)


def headings(outline: Outline) -> list[str]:
    return [path[-1] for path, _ in outline.walk()]


def test_good_answers_are_used_and_bad_lines_keep_their_heading():
    answer = "\n".join([
        "1\t〔开头〕",
        "2\t一、坚持履职尽责，扛牢主体责任",
        "3\t（一）突出政治建设，筑牢思想根基",
        "4\t（二）完成30个支部标准化建设",   # brings in a number
        "5\t二、查摆问题不足",               # numbering kept: fine
    ])
    with FakeOpenAI(responder=lambda body: answer) as fake:
        result = refine_headings(OUTLINE, "抓基层党建", model(fake), ["一、突出政治建设，坚定党性自觉"])
        sent = fake.history[0].json["messages"][-1]["content"]
    assert headings(result.outline) == ["〔开头〕", "一、坚持履职尽责，扛牢主体责任", "（一）突出政治建设，筑牢思想根基",
                                        "（二）抓好组织建设", "二、查摆问题不足"]
    assert result.changed == 3 and "brought in a number" in result.notes[0]
    assert "抓基层党建" in sent and "一、突出政治建设，坚定党性自觉" in sent


@pytest.mark.parametrize(
    "answer, note",
    [
        ("1\t〔开头〕\n2\t一、改了", "answered 2 headings for 5"),
        ("1\t〔序言〕\n2\t一、甲\n3\t（一）乙\n4\t（二）丙\n5\t二、丁", "changed an unnumbered part"),
        ("1\t〔开头〕\n2\t二、甲\n3\t（一）乙\n4\t（二）丙\n5\t二、丁", "changed the numbering"),
    ],
)
def test_rule_breaking_answers_are_not_used(answer, note):
    with FakeOpenAI(responder=lambda body: answer) as fake:
        result = refine_headings(OUTLINE, "主题", model(fake), [])
    assert any(note in n for n in result.notes)
    if "answered" in note:
        assert result.outline == OUTLINE


def test_cli_topic_rewords_and_a_dead_model_keeps_the_outline(tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_EMBED_PROVIDER", "hashing")
    shutil.copytree(SAMPLE_CORPUS, tmp_path / "corpus")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest"]).exit_code == 0

    def reword(body):
        lines = body["messages"][-1]["content"].split("待润色的标题：\n")[1].splitlines()
        return "\n".join(ln + "（润色）" if "、" in ln and "〔" not in ln else ln for ln in lines)

    monkeypatch.setenv("DRAFTER_LLM_MODEL", "fake")
    with FakeOpenAI(responder=reword) as fake:
        monkeypatch.setenv("DRAFTER_LLM_BASE_URL", fake.base_url)
        result = runner.invoke(app, ["outline", "--type", "述职", "--topic", "抓基层党建", "-o", str(tmp_path / "o.md")])
    assert result.exit_code == 0, result.output
    outline = parse_outline((tmp_path / "o.md").read_text(encoding="utf-8"))
    assert outline.sections[1].heading == "一、个人履职情况（润色）"
    monkeypatch.setenv("DRAFTER_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("DRAFTER_LLM_MAX_RETRIES", "0")
    result = runner.invoke(app, ["outline", "--type", "述职", "--topic", "抓基层党建"])
    assert result.exit_code == 0 and "not refined by the model" in result.stderr and "一、个人履职情况" in result.stdout


def test_the_model_may_move_facts_only_to_real_sections():
    from drafter.facts.load import load_facts
    from drafter.outline.refine import refine_facts
    from tests.scripted import FACTS

    facts = load_facts(FACTS)
    placed = Outline("述职", "述职", (
        OutlineSection("〔开头〕", 0, facts=("党建集体荣誉", "个人荣誉")),
        OutlineSection("一、个人履职情况", 1, children=(
            OutlineSection("（一）加强政治建设", 2, facts=("整改问题",)),
            OutlineSection("（二）抓好组织建设", 2))),
        OutlineSection("二、存在的不足", 1),
    ))
    answer = "\n".join([
        "党建集体荣誉\t1", "个人荣誉\t1",
        "整改问题\t3",          # moved to （二）抓好组织建设
        "局机关志愿服务\t9",     # no section 9: ignored, stays where it was (nowhere)
        "不存在的指标\t2",       # no such fact: ignored
        "人均志愿服务时长\t0",
    ])
    with FakeOpenAI(responder=lambda body: answer) as fake:
        result = refine_facts(placed, facts, model(fake))
        sent = fake.history[0].json["messages"][-1]["content"]
    where = {name: path[-1] for path, s in result.outline.walk() for name in s.facts}
    assert where["整改问题"] == "（二）抓好组织建设" and where["党建集体荣誉"] == "〔开头〕"
    assert "局机关志愿服务" in result.outline.unassigned and "局机关志愿服务" not in where
    assert result.changed == 1 and len(result.notes) == 2
    assert "4\t二、存在的不足" in sent and "整改问题\t近200个\t2" in sent
