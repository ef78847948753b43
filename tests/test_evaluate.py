"""drafter.evaluation.run: the metrics on small hand-made texts, case loading, baseline comparison, and
the whole deterministic suite over evals/cases against evals/baseline.json (the CI gate)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from drafter.config import load_settings
from drafter.evaluation.baseline import compare, load_baseline, write_baseline
from drafter.evaluation.cases import CaseError, load_case, load_cases
from drafter.evaluation.metrics import (
    draft_shape,
    fact_coverage,
    forbidden_hits,
    forbidden_number_hits,
    length_fit,
    number_score,
    repetition,
    required_sections,
    structure_match,
    style_closeness,
)
from drafter.evaluation.run import run_eval
from drafter.facts.load import facts_from_mapping
from drafter.index.embed import HashingEmbedder
from drafter.numbers.check import check_text
from tests.conftest import REPO, SAMPLE_CORPUS

S1 = "区教育局党组坚持读原著学原文悟原理。"  # 18 characters
S2 = "全面加强党的意识形态工作。"  # 13
S3 = "守好安全底线确保校园平安。"  # 13


# --- repetition -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sections, share, repeated",
    [
        ([S1 + S2, S3], 0.0, 0),
        ([S1 + S2, S3 + S1], 18 / 62, 1),  # S1 said again in the second section: its 18 characters
        ([S1 + S1], 18 / 36, 1),  # inside one section: caught as a repeated sentence
        ([S1, S1, S1], 36 / 54, 2),  # the first occurrence never counts
        (["", ""], 0.0, 0),
        (["一是。二是。一是。"], 0.0, 0),  # short enumerations repeat harmlessly
    ],
)
def test_repetition_share(sections, share, repeated):
    got = repetition(sections)
    assert got.share == pytest.approx(share)
    assert got.repeated_sentences == repeated


def test_repetition_counts_shared_phrases_across_sections():
    phrase = "习近平新时代中国特色社会主义思想"  # 16 characters, in two sections
    a, b = f"学习{phrase}。", f"深入贯彻{phrase}。"
    got = repetition([a, b])
    assert got.repeated_sentences == 0
    assert got.share == pytest.approx(len(phrase + "。") / (len(a) + len(b)))  # the phrase and its full stop
    assert repetition([f"学习{phrase[:7]}工作。", f"贯彻{phrase[:7]}精神。"]).share == 0  # 7 shared: not a phrase


# --- forbidden phrases, length, structure, sections ----------------------------------------------


@pytest.mark.parametrize(
    "text, extra, hits",
    [
        ("全年各项任务圆满完成。", (), ("圆满完成",)),
        ("以上是根据您提供的材料整理的，请根据实际情况修改。", (), ("根据您提供的", "请根据实际情况")),
        ("强化政治建设。The committee will strengthen guidance.", (), ("The committee will strengthen guidance.",)),
        ("开展“AI+教育”和 STEM 课程。", (), ()),  # Latin words, but no sentence
        ("要点仅供参考。", ("仅供参考",), ("仅供参考",)),
        ("完成年度任务。", (), ()),
    ],
)
def test_forbidden_hits(text, extra, hits):
    from drafter.evaluation.metrics import DEFAULT_FORBIDDEN_PHRASES

    assert forbidden_hits(text, DEFAULT_FORBIDDEN_PHRASES + extra) == hits


@pytest.mark.parametrize(
    "chars, target, in_range, fit",
    [
        (1000, (800, 1600), True, 1.0),
        (800, (800, 1600), True, 1.0),
        (200, (800, 1600), False, 0.25),
        (3200, (800, 1600), False, 0.5),
        (500, None, None, None),
    ],
)
def test_length_fit(chars, target, in_range, fit):
    assert length_fit(chars, target) == (in_range, fit)


@pytest.mark.parametrize(
    "draft, skeleton, share, unmatched",
    [
        (["一、个人履职情况", "二、存在的不足", "三、努力的方向"], ["一、个人履职情况", "二、存在的不足", "三、努力的方向"], 1.0, ()),
        (["一、个人履职情况", "二、今后努力的方向"], ["一、个人履职情况", "二、存在的不足", "三、努力的方向"], 2 / 3,
         ("二、存在的不足",)),
        (["一、加强学习"], ["一、个人履职情况", "二、存在的不足"], 0.0, ("一、个人履职情况", "二、存在的不足")),
        ([], [], None, ()),
    ],
)
def test_structure_match(draft, skeleton, share, unmatched):
    got, missing = structure_match(draft, skeleton)
    assert got == (pytest.approx(share) if share is not None else None)
    assert missing == unmatched


def test_required_sections_are_patterns():
    heads = ["一、个人履职情况", "（一）突出政治建设", "二、努力的方向"]
    assert required_sections(heads, ["个人履职", "存在的不足|存在的问题", "努力的方向"]) == (
        pytest.approx(2 / 3), ("存在的不足|存在的问题",))
    assert required_sections(heads, []) == (None, ())


def test_draft_shape_reads_markdown_headings_and_sections():
    shape = draft_shape("# 述职\n\n## 一、个人履职情况\n\n正文一。\n\n## 二、存在的不足\n\n正文二。\n")
    assert shape.top_headings == ("一、个人履职情况", "二、存在的不足")
    assert [s.body for s in shape.sections] == ["正文一。", "正文二。"]
    assert "#" not in shape.text


# --- numbers -----------------------------------------------------------------------------------

FACTS = facts_from_mapping({
    "title": "2024年述职", "period": "2024年",
    "facts": [
        {"name": "公办园覆盖面", "value": "62.55%", "previous": "12.4%"},
        {"name": "新增学位", "value": "7620个"},
        {"name": "党员", "value": "132名", "previous": "125名"},
    ],
})


ANY = object()  # the checker's own call (it may ground or flag last year's figure): not asserted here


@pytest.mark.parametrize(
    "text, numbers, grounding, ungrounded, placeholders, stale",
    [
        ("公办园覆盖面从12.4%提升到62.55%，新增学位7620个。", 3, 1.0, (), 0, ()),
        ("新增学位8000个，党员132名。", 2, 0.5, ("8000个",), 0, ()),
        ("公办园覆盖面达到12.4%。", 1, ANY, ANY, 0, ("12.4%",)),  # last year's figure as this year's
        ("党员125名，新增学位7620个。", 2, ANY, ANY, 0, ("125名",)),
        ("党员132名，较上年的125名有所增加。", 2, 1.0, (), 0, ()),  # in a comparison: fine
        ("新增学位【待补】个，党员XX名。", 0, None, (), 2, ()),
    ],
)
def test_number_score(text, numbers, grounding, ungrounded, placeholders, stale):
    got = number_score(check_text(text, FACTS), FACTS)
    assert (got.numbers, got.placeholders, got.stale) == (numbers, placeholders, stale)
    if ungrounded is not ANY:
        assert got.ungrounded == ungrounded
    if grounding is not ANY:
        assert got.grounding == (pytest.approx(grounding) if grounding is not None else None)


@pytest.mark.parametrize(
    "text, required, share, missing",
    [
        ("公办园覆盖面62.55%，新增学位7620个，党员132名。", None, 1.0, ()),
        ("公办园覆盖面达到12.4%，新增学位7620个。", None, 1 / 3, ("公办园覆盖面", "党员")),
        ("新增学位7620个。", ("新增学位",), 1.0, ()),
        ("新增学位7620个。", (), None, ()),
    ],
)
def test_fact_coverage(text, required, share, missing):
    got, gaps = fact_coverage(check_text(text, FACTS), FACTS, required)
    assert got == (pytest.approx(share) if share is not None else None)
    assert gaps == missing


def test_forbidden_numbers_match_rounded_forms():
    report = check_text("党员125名，覆盖面约12%，新增学位7620个。", FACTS)
    assert forbidden_number_hits([f.mention for f in report.findings], ["125名", "12.4%"]) == ("125名", "约12%")


def test_style_closeness_is_mean_of_best_cosines():
    corpus = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    sections = np.array([[1.0, 0.0], [0.6, 0.8]], dtype=np.float32)
    assert style_closeness(sections, corpus) == pytest.approx((1.0 + 0.8) / 2)
    assert style_closeness(np.zeros((0, 2)), corpus) is None


# --- cases ---------------------------------------------------------------------------------------


def make_case(root: Path, name: str, case_yaml: str, draft: str = "一、个人履职情况\n正文。\n") -> Path:
    folder = root / name
    (folder / "drafts").mkdir(parents=True)
    (folder / "case.yaml").write_text(case_yaml, encoding="utf-8")
    (folder / "drafts" / "a.md").write_text(draft, encoding="utf-8")
    (root / "facts.yaml").write_text("title: t\nfacts:\n  - name: 新增学位\n    value: 7620个\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "case_yaml, message",
    [
        ("type: 述职\nfacts: ../nope.yaml\n", "'facts' names ../nope.yaml, which does not exist"),
        ("type: 述职\nfacts: ../facts.yaml\nexpect:\n  sectons: [a]\n", "'expect.sectons' is not a known expectation"),
        ("type: 述职\nfacts: ../facts.yaml\nexpect:\n  length: 800\n", "'expect.length' must be a list, got int"),
        ("type: 述职\nfacts: ../facts.yaml\nexpect:\n  length: [900, 800]\n", "'expect.length' must be [min, max]"),
        ("type: 述职\nfacts: ../facts.yaml\nexpect:\n  facts: [旧指标]\n", "'expect.facts' names '旧指标'"),
        ("type: 述职\nfacts: ../facts.yaml\nexpect:\n  sections: ['(']\n", "'expect.sections' holds an invalid pattern"),
        ("type: 述职\nfacts: ../facts.yaml\nexpect:\n  forbidden_numbers: [很多]\n", "which is not a number"),
        ("type: 述职\nfacts: ../facts.yaml\nmodel: x\n", "'model' is not a known key"),
        ("facts: ../facts.yaml\n", "'type' is required"),
        ("type: [述职]\nfacts: ../facts.yaml\n", "'type' must be a str, got list"),
    ],
)
def test_malformed_case_names_file_and_key(tmp_path, case_yaml, message):
    folder = make_case(tmp_path, "bad", case_yaml)
    with pytest.raises(CaseError) as e:
        load_case(folder)
    assert str(folder / "case.yaml") in str(e.value)
    assert message in str(e.value)


def test_a_broken_case_does_not_stop_the_others(tmp_path):
    root = tmp_path / "cases"
    make_case(root, "good", "type: 述职\nfacts: ../facts.yaml\nexpect:\n  length: [1, 100]\n")
    make_case(root, "broken", "type: 述职\nfacts: ../missing.yaml\n")
    cases, broken = load_cases(root)
    assert [c.case_id for c in cases] == ["good"]
    assert [b.case_id for b in broken] == ["broken"] and "missing.yaml" in broken[0].error


def test_the_shipped_cases_load():
    cases, broken = load_cases(REPO / "evals" / "cases")
    assert broken == []
    assert len(cases) >= 8 and sum(len(c.drafts) for c in cases) >= 12


# --- baseline comparison ------------------------------------------------------------------------


# --- the whole suite (the CI gate) --------------------------------------------------------------


@pytest.fixture(scope="module")
def eval_settings(tmp_path_factory):
    home = tmp_path_factory.mktemp("eval-home")
    return load_settings(project_dir=REPO, env={**os.environ, "DRAFTER_HOME": str(home),
                                                "DRAFTER_EMBED_PROVIDER": "hashing", "DRAFTER_CORPUS": str(SAMPLE_CORPUS)})


@pytest.fixture(scope="module")
def shipped_run(eval_settings):
    return run_eval(eval_settings, REPO / "evals" / "cases", embedder=HashingEmbedder())


def test_no_regression_against_the_baseline(shipped_run):
    """CI: every case scores, and no metric is worse than evals/baseline.json beyond its tolerance."""
    assert [c.error for c in shipped_run.broken] == []
    assert shipped_run.checker.error is None
    comparison = compare(shipped_run, load_baseline(REPO / "evals" / "baseline.json"))
    assert not [n for n in comparison.notes if "not scored now" in n]
    assert [f"{d.scope} {d.metric}: {d.baseline} -> {d.current}" for d in comparison.regressions] == []


def test_the_planted_defects_are_seen(shipped_run):
    by = {d.key: d for d in shipped_run.drafts}
    ref = by["shuzhi-2023/reference.md"]
    assert ref.metrics.ungrounded == 0 and ref.metrics.sections == 1 and ref.metrics.structure == 1
    assert by["shuzhi-2023/invented-number.md"].details.ungrounded_numbers == ("326人次",)
    assert by["shuzhi-2023/missing-section.md"].details.missing_sections == ("存在的不足|存在的问题",)
    assert by["shuzhi-2023/missing-section.md"].metrics.structure < 1
    assert by["dangjian-wutuchu/stale-figure.md"].details.stale_numbers == ("12.4%",)
    assert by["jiguan-shuzhi-2024/stale-figure.md"].metrics.forbidden_numbers == 2
    assert by["shuzhi-2023-brief/too-short.md"].details.length_in_range is False
    assert by["dangjian-yaodian-2025/forbidden-phrases.md"].metrics.forbidden >= 3
    assert by["xiaoxue-zongjie-2024/placeholders.md"].metrics.placeholders == 3
    rep, clean = by["zhuti-jiaoyu-fayan/repeated-sentences.md"], by["zhuti-jiaoyu-fayan/reference.md"]
    assert rep.metrics.repetition > clean.metrics.repetition + 0.03 and rep.details.repeated_sentences >= 1
    assert shipped_run.checker.metrics["recall"] > 0.9


def test_a_worse_draft_is_a_regression(shipped_run, eval_settings, tmp_path):
    cases = tmp_path / "evals" / "cases"
    shutil.copytree(REPO / "evals" / "cases" / "shuzhi-2023", cases / "shuzhi-2023")
    shutil.copytree(REPO / "evals" / "checker" / "facts", tmp_path / "evals" / "checker" / "facts")
    draft = cases / "shuzhi-2023" / "drafts" / "reference.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("22项", "25项"), encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    write_baseline(shipped_run, baseline)
    run = run_eval(eval_settings, cases, embedder=HashingEmbedder())
    comparison = compare(run, load_baseline(baseline))
    worse = {(d.scope, d.metric) for d in comparison.regressions}
    assert ("shuzhi-2023/reference.md", "ungrounded") in worse
    assert ("shuzhi-2023/reference.md", "grounding") in worse
    assert ("aggregate", "ungrounded") in worse
    assert any("not scored now" in n for n in comparison.notes)  # the other cases were left out


def test_tolerance_and_direction(shipped_run, tmp_path):
    baseline = tmp_path / "baseline.json"
    write_baseline(shipped_run, baseline)
    data = json.loads(baseline.read_text(encoding="utf-8"))
    drafts = data["cases"][0]["drafts"][0]["metrics"]
    key = f"{data['cases'][0]['case']}/{data['cases'][0]['drafts'][0]['draft']}"
    drafts["repetition"] -= 0.005  # now 0.005 worse than the baseline: within the 0.01 tolerance
    drafts["length_fit"] = 0.5  # now better than the baseline: never a regression
    drafts["style"] = (drafts["style"] or 0) + 0.05  # 0.05 worse, beyond 0.02
    data["checker"]["metrics"]["recall"] = 1.5  # the checker got "worse"
    baseline.write_text(json.dumps(data), encoding="utf-8")
    comparison = compare(shipped_run, load_baseline(baseline))
    worse = {(d.scope, d.metric) for d in comparison.regressions}
    assert (key, "repetition") not in worse and (key, "length_fit") not in worse
    assert (key, "style") in worse and ("checker", "recall") in worse
    assert comparison.delta(key, "length_fit").better


def test_style_is_not_compared_across_embedders(shipped_run, tmp_path):
    baseline = tmp_path / "baseline.json"
    write_baseline(shipped_run, baseline)
    data = json.loads(baseline.read_text(encoding="utf-8"))
    data["embedder"] = "e5-small-q4"
    baseline.write_text(json.dumps(data), encoding="utf-8")
    comparison = compare(shipped_run, load_baseline(baseline))
    assert all(d.metric != "style" for d in comparison.deltas)
    assert any("style not compared" in n for n in comparison.notes)


@pytest.mark.parametrize(
    "content, message",
    [
        ("{", "not valid JSON"),
        ('{"cases": [], "tolerances": {"grounding": -1}}', "'tolerances.grounding' must be a number >= 0"),
        ('{"cases": [], "tolerances": {"speed": 1}}', "'tolerances.speed' is not a metric"),
        ("[]", "expected a results file"),
    ],
)
def test_malformed_baseline(tmp_path, content, message):
    from drafter.evaluation.baseline import BaselineError

    path = tmp_path / "baseline.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError, match=message.replace("(", r"\(")):
        load_baseline(path)


