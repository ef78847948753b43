"""Regression guard: the labelled set under evals/checker/ meets its targets."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from drafter.evaluation.checker_suite import evaluate_checker

REPO = Path(__file__).resolve().parent.parent
CHECKER = REPO / "evals" / "checker"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def evaluation() -> dict:
    return evaluate_checker(CHECKER)


def test_recall_of_planted_errors_is_total(evaluation):
    assert evaluation["planted"] >= 40
    assert evaluation["recall"] == 1.0, evaluation["misses"]


def test_precision(evaluation):
    assert evaluation["precision"] >= 0.98, evaluation["false_alarms"]
    assert evaluation["real_precision"] >= 0.98, evaluation["false_alarms"]
    assert evaluation["real_false_alarms"] == 0, evaluation["false_alarms"]


def test_no_planted_error_is_explained_by_a_derivation(evaluation):
    assert evaluation["false_explanation_rate"] == 0.0


def test_every_error_type_is_planted_and_caught(evaluation):
    types = evaluation["by_type"]
    assert set(types) == {"changed_digit", "wrong_magnitude", "swapped_unit", "invented_count", "invented_year"}
    assert all(v["caught"] == v["planted"] for v in types.values())


def test_tricky_sentences(evaluation):
    assert evaluation["sentences"] >= 60
    assert evaluation["sentence_failures"] == []


def test_stress_rate_stays_small(evaluation):
    assert evaluation["stress"]["rate"] <= 0.03


def test_planting_is_deterministic(tmp_path):
    _load("plant", CHECKER / "plant.py").main(tmp_path)
    assert json.loads((tmp_path / "labels.json").read_text(encoding="utf-8")) == \
        json.loads((CHECKER / "labels.json").read_text(encoding="utf-8"))
    for p in (CHECKER / "planted").glob("*.md"):
        assert (tmp_path / "planted" / p.name).read_text(encoding="utf-8") == p.read_text(encoding="utf-8")
