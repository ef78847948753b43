"""Outlines: skeletons learned from the corpus, built-ins, fact assignment, the Markdown round trip."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from typer.testing import CliRunner

from drafter.cli import app
from drafter.corpus.document import load_document, parse_document
from drafter.corpus.structure import cn_number
from drafter.errors import OutlineError
from drafter.facts.load import load_facts
from drafter.index.embed import HashingEmbedder
from drafter.outline.markdown import parse_outline, to_markdown
from drafter.outline.skeleton import build_outline, builtin_skeletons, document_tree, learn_skeleton
from drafter.records import Outline, OutlineSection
from tests.conftest import REPO, SAMPLE_CORPUS

FACTS = REPO / "evals" / "checker" / "facts"


@pytest.fixture(scope="module")
def documents():
    return [load_document(p, SAMPLE_CORPUS) for p in sorted(SAMPLE_CORPUS.glob("*.txt"))]


@pytest.mark.parametrize("n, text", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (15, "十五"), (20, "二十"), (23, "二十三")])
def test_cn_number(n, text):
    assert cn_number(n) == text


def test_shuzhi_skeleton_is_learned_from_the_corpus(documents):
    skeleton = learn_skeleton("述职", documents)
    assert skeleton.source == "corpus: 2023_述职_市教育局主要领导.txt"
    tops = [s.heading for s in skeleton.sections]
    assert tops == ["〔开头〕", "一、个人履职情况", "二、存在的不足", "三、努力的方向"]
    assert [c.heading for c in skeleton.sections[1].children][:2] == ["（一）突出政治建设，坚定党性自觉", "（二）突出组织建设，筑牢基层堡垒"]
    assert skeleton.sections[1].note == "1/1 篇述职有此部分"


def test_reports_without_numbered_headings_use_their_parts(documents):
    speech = next(d for d in documents if d.doc_type == "汇报发言")
    tree = document_tree(speech)
    assert [h for h, _ in tree][:3] == ["〔称谓〕", "〔开头〕", "以高度的政治自觉强化理论学习，筑牢对党忠诚坚实基础"]
    assert tree[-1][0] == "〔结尾〕"


def test_the_medoid_is_the_most_typical_report():
    docs = [
        parse_document(f"{i}.txt", f"2024年某局工作总结\n{body}")
        for i, body in enumerate([
            "一、主要工作和成效\n做了工作。\n二、存在的问题\n有问题。\n三、下步工作打算\n继续努力。",
            "一、主要工作及成效\n做了工作。\n二、存在问题\n有问题。\n三、下一步工作打算\n继续努力。",
            "一、基本情况\n情况。\n二、经验体会\n体会。",
        ])
    ]
    skeleton = learn_skeleton("工作总结", docs)
    assert skeleton.source in ("corpus: 0.txt", "corpus: 1.txt")
    assert [s.note for s in skeleton.sections if s.level == 1] == ["2/3 篇工作总结有此部分"] * 3


def test_builtin_skeleton_for_an_empty_corpus():
    skeleton = learn_skeleton("工作总结", [])
    assert skeleton.source == "built-in"
    assert [s.heading for s in skeleton.sections] == ["〔开头〕", "一、主要工作和成效", "二、存在的问题及原因", "三、下步工作打算"]
    items = [c.heading for s in builtin_skeletons()["工作要点"] for c in s.children]
    assert items[:3] == ["1.强化政治建设", "2.深化理论学习", "3.夯实基层组织"]  # numbered on across themes


def test_unknown_type_names_the_closest(documents):
    with pytest.raises(OutlineError, match="did you mean 述职"):
        learn_skeleton("述职报", documents)


def test_facts_go_where_the_corpus_report_put_them(documents):
    facts = load_facts(FACTS / "2023_述职_市教育局主要领导.yaml")
    from drafter.index.embed import E5Embedder

    outline = build_outline("述职", documents, facts, embedder=E5Embedder(threads=1))
    placed = {name: path[-1] for path, s in outline.walk() for name in s.facts}
    assert placed["党建集体荣誉"] == "〔开头〕"
    assert placed["整改问题"] == "（二）突出组织建设，筑牢基层堡垒"
    assert placed["人均志愿服务时长"] == "（三）突出内涵建设，促进中心工作"
    assert placed["群众满意度测评排名"] == "（四）突出作风建设，打造“清廉教育”"
    # figures report what was done: nothing lands in the shortcomings or the plans
    assert not any(s.facts for path, s in outline.walk() if path[0].startswith(("二、", "三、")))


def test_a_fact_with_a_section_goes_there(documents, tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("facts:\n  - name: 整改问题\n    value: 30个\n    section: 存在的不足\n", encoding="utf-8")
    outline = build_outline("述职", documents, load_facts(path), embedder=HashingEmbedder())
    placed = {name: path[0] for path, s in outline.walk() for name in s.facts}
    assert placed["整改问题"] == "二、存在的不足"


def test_without_embedder_words_decide_and_strangers_fit_nowhere(documents, tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("facts:\n  - name: 志愿服务\n    value: 14场\n  - name: 快递包裹\n    value: 3件\n", encoding="utf-8")
    outline = build_outline("述职", documents, load_facts(path))
    placed = {name: path[-1] for path, s in outline.walk() for name in s.facts}
    assert placed == {"志愿服务": "（三）突出内涵建设，促进中心工作"}
    assert outline.unassigned == ("快递包裹",)


def test_markdown_round_trip_exact(documents):
    facts = load_facts(FACTS / "党建汇报_教育局党委_教育党建五个突出.yaml")
    for doc_type in ("述职", "工作要点", "汇报发言", "工作总结", "工作汇报"):
        outline = build_outline(doc_type, documents, facts, embedder=HashingEmbedder())
        text = to_markdown(outline)
        again = parse_outline(text)
        assert again == outline
        assert to_markdown(again) == text


headings = st.text(alphabet="一二三四五六七八九十党建工作总结（）、，", min_size=1, max_size=12).filter(lambda s: s.strip() == s)


@st.composite
def outlines(draw):
    def section(depth):
        kids = [section(depth + 1) for _ in range(draw(st.integers(0, 2)) if depth < 3 else 0)]
        return OutlineSection(
            heading=draw(headings),
            level=depth + 1,
            facts=tuple(draw(st.lists(st.sampled_from(["甲", "乙", "丙"]), max_size=1, unique=True))),
            children=tuple(kids),
        )

    sections = [section(0) for _ in range(draw(st.integers(1, 3)))]
    return Outline(doc_type="述职", title=draw(headings), sections=tuple(sections), source="built-in")


@hsettings(max_examples=60, deadline=None)
@given(outlines())
def test_markdown_round_trip_any_outline(outline):
    names = [n for _, s in outline.walk() for n in s.facts]
    if len(names) != len(set(names)):
        return
    assert parse_outline(to_markdown(outline)) == outline


@pytest.mark.parametrize(
    "text, message",
    [
        ("# t\n## 一、甲\n#### 1.乙\n", "line 3.*one level deeper"),
        ("# t\n- fact: 新增学位\n## 一、甲\n", "line 2.*must follow a heading"),
        ("# t\n## 一、甲\n随便写的一行\n", "line 3: cannot read"),
        ("# t\n## 一、甲\n- fact:\n", "line 3.*needs a value"),
        ("# t\n## 一、甲\n- fact: 甲\n## 二、乙\n- fact: 甲\n", "listed twice: 甲"),
        ("# t\n", "no sections"),
        ("# t\n## 一、甲\n- unassigned: 乙\n", "before the first heading"),
    ],
)
def test_an_outline_edited_into_a_bad_shape_names_the_line(text, message):
    with pytest.raises(OutlineError, match=message):
        parse_outline(text, where="outline.md")


runner = CliRunner()


def test_cli_outline_offline_writes_markdown_and_json(tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_EMBED_PROVIDER", "hashing")
    shutil.copytree(SAMPLE_CORPUS, tmp_path / "corpus")
    assert runner.invoke(app, ["ingest"]).exit_code == 0
    result = runner.invoke(app, ["outline", "--list-types", "--json"])
    types = {t["type"]: t["documents"] for t in json.loads(result.stdout)["types"]}
    assert types["述职"] == 1 and types["工作总结"] == 1 and "汇报发言" in types
    out = tmp_path / "outline.md"
    result = runner.invoke(app, ["outline", "--type", "述职", "--facts", str(FACTS / "2023_述职_市教育局主要领导.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    parsed = parse_outline(out.read_text(encoding="utf-8"))
    assert parsed.doc_type == "述职" and parsed.title == "2023年市局主要领导工作述职"
    assert runner.invoke(app, ["outline", "--type", "述职", "-o", str(out)]).exit_code != 0  # no --force
    result = runner.invoke(app, ["outline", "--type", "工作总结", "--json"])
    assert json.loads(result.stdout)["source"] == "corpus: 2024_季度党建工作总结_市教育局.txt"


def test_cli_outline_empty_corpus_uses_builtin_and_says_so(tmp_path):
    result = runner.invoke(app, ["outline", "--type", "工作汇报"])
    assert result.exit_code == 0
    assert "built-in skeleton" in result.stderr and "一、基本情况" in result.stdout
    result = runner.invoke(app, ["outline", "--type", "年终报告"])
    assert result.exit_code != 0


@pytest.mark.parametrize("doc_type", ["述职", "工作总结", "工作要点", "汇报发言", "工作汇报", "工作计划", "实施方案",
                                      "讲话", "调研报告", "工作报告", "对照检查"])
def test_every_common_type_has_a_builtin_skeleton(doc_type):
    skeleton = learn_skeleton(doc_type, [])
    assert skeleton.source == "built-in" and sum(1 for s in skeleton.sections if s.level == 1) >= 3


@pytest.mark.parametrize(
    "title, expected",
    [
        ("2024年度民主生活会个人对照检查材料", "对照检查"),
        ("主题教育专题民主生活会个人检视剖析材料", "对照检查"),
        ("关于农村集体经济发展情况的调研报告", "调研报告"),
        ("在全县经济工作会议上的讲话", "讲话"),
        ("2025年度党建工作计划", "工作计划"),
        ("关于开展安全生产专项整治的实施方案", "实施方案"),
    ],
)
def test_common_titles_classify(title, expected):
    from drafter.corpus.doctype import classify

    assert classify(title, "", "", ()).doc_type == expected


def test_parts_written_without_numbers_or_run_together_reach_the_skeleton():
    """Better trees, better outlines: the 不足/打算 parts real summaries write without numbers, and
    headings run into the previous sentence, are sections of the learned skeleton."""
    bodies = [
        "今年上半年，各项工作进展顺利。\n一、营商环境持续优化\n新登记市场主体4826户。\n二、市场秩序不断规范\n查办案件86件。"
        "\n存在的问题和不足\n一是监管力量不足；二是手段不够。\n下半年工作打算\n下半年，我们将重点抓好以下工作。",
        "上半年，全局工作稳中有进。一、重点项目加快推进。新开工项目12个。二、民生保障持续加强。新增就业1260人。"
        "\n存在的问题\n部分项目推进滞后，要素保障压力较大。\n下半年工作打算\n我们将继续抓好项目建设。",
        "今年以来，我们扎实推进各项工作。\n一、抓党建强引领\n全年召开党委会18次。\n二、抓服务惠民生\n办结群众诉求47件。"
        "\n存在的不足\n创新思考不够，作用发挥不平衡。\n下一步工作打算\n持续深化党建引领基层治理。",
    ]
    docs = [parse_document(f"{i}.txt", f"2024年上半年工作总结\n{body}") for i, body in enumerate(bodies)]
    assert [len([h for h in d.headings if h.level == 1]) for d in docs] == [4, 4, 4]
    skeleton = learn_skeleton("工作总结", docs)
    tops = [s.heading for s in skeleton.sections if s.level == 1]
    assert len(tops) == 4 and any("不足" in t or "问题" in t for t in tops) and any("打算" in t for t in tops)
    assert [s.note for s in skeleton.sections if s.level == 1][-2:] == ["3/3 篇工作总结有此部分"] * 2
