"""The extractor's labelled sets (evals/numbers/) held to their targets, and the scorer itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.evaluation.number_suite import (
    TARGETS,
    Tally,
    evaluate_numbers,
    meets_targets,
    score_case,
    score_external,
    score_no_number,
)

EVALS = Path(__file__).resolve().parent.parent / "evals"


@pytest.fixture(scope="module")
def result():
    return evaluate_numbers(EVALS / "numbers")


def test_committed_sets_meet_their_targets(result):
    assert meets_targets(result) == []


def test_forms_cover_every_category_of_the_issue(result):
    cats = set(result["forms"].categories)
    for needed in ("decimal_dian", "measure", "range_cn", "count_cn", "financial", "year_cn", "negative", "bare",
                   "whitespace"):
        assert needed in cats


def test_forms_recall_and_false_alarms_as_measured(result):
    h = result["forms"].headline
    assert h.expected >= 450
    assert h.recall >= TARGETS["forms"]["recall"]
    assert result["negatives"].no_number.cases >= 240
    assert result["negatives"].no_number.false_alarms <= TARGETS["negatives"]["no_number_false_alarms"]


@pytest.mark.parametrize("case, found, wrong, false_alarms", [
    ({"text": "新增学位7620个。", "expect": [{"text": "7620个", "value": 7620}]}, 1, 0, 0),
    ({"text": "新增学位7620个。", "expect": [{"text": "7620个", "value": 7621}]}, 0, 1, 0),
    ({"text": "惠及七八十户。", "expect": [{"text": "七八十户", "value": 70, "high": 80}]}, 1, 0, 0),
    ({"text": "惠及七八十户。", "expect": [{"text": "七八十户", "value": 70, "high": 90}]}, 0, 1, 0),
    ({"text": "流转35公顷。", "expect": [{"text": "35公顷", "value": 3, "base": {"value": 350000}}]}, 0, 1, 0),
    ({"text": "二〇二二年六月开工。", "expect": [{"text": "二〇二二年六月", "kind": "date", "key": "2022-06"}]}, 1, 0, 0),
    ({"text": "二〇二二年六月开工。", "expect": [{"text": "二〇二二年六月", "kind": "date", "key": "2022-07"}]}, 0, 1, 0),
    ({"text": "新增学位7620个，教师12人。", "expect": [{"text": "7620个", "value": 7620}]}, 1, 0, 1),
    ({"text": "新增学位7620个，教师12人。", "expect": [{"text": "7620个", "value": 7620}], "ambiguous": ["12人"]},
     1, 0, 0),
])
def test_scoring_rules(case, found, wrong, false_alarms):
    t = Tally()
    score_case(case, t)
    assert (t.found, t.wrong, t.false_alarms) == (found, wrong, false_alarms)


def test_a_number_in_a_no_number_text_is_a_false_alarm():
    t = Tally()
    score_no_number("五湖四海的建设者", t)
    score_no_number("新增学位7620个", t)
    assert (t.cases, t.false_alarms, t.found) == (2, 1, 1)


def test_external_folder_scores_ignored_categories_apart(tmp_path):
    (tmp_path / "suite.yaml").write_text(
        "- {text: 三点五, expect: [{text: 三点五, value: 3.5}], category: decimal}\n"
        "- {text: 上午十点半, expect: [{text: 十点半, kind: time}], category: time}\n"
        "- {text: 一心一意, category: no_number}\n", encoding="utf-8")
    s = score_external(tmp_path)
    assert s.headline.expected == 1 and s.headline.found == 1
    assert "time" in s.categories and s.no_number.cases == 1 and s.no_number.false_alarms == 0


def test_script_prints_json_and_exit_status():
    out = subprocess.run([sys.executable, str(EVALS / "numbers_eval.py"), "--json"], capture_output=True, text=True,
                         encoding="utf-8")
    assert out.returncode == 0, out.stdout + out.stderr
    data = json.loads(out.stdout)
    assert data["forms"]["recall"] >= 0.99 and data["below_target"] == []
