"""Baselines: a run plus per-metric tolerances; a metric that got worse by more than its tolerance
is a regression. ``compare`` gives every change, for the view and for `--json`."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from drafter.errors import InputFileError
from drafter.evaluation.metrics import CHECKER_METRICS, GUARD_METRICS, METRICS, STYLE_METRIC, DraftMetrics, aggregate
from drafter.evaluation.run import EvalRun
from drafter.fileio import dumps, write_text_atomic


class BaselineError(InputFileError):
    meaning = "the eval baseline file is missing or malformed"



@dataclass(frozen=True)
class Baseline:
    path: Path
    embedder: str
    tolerances: dict[str, float]  # metric name (checker ones prefixed "checker.") → slack
    drafts: dict[str, DraftMetrics]  # "case/draft" → metrics
    checker: dict[str, float]


def default_tolerances() -> dict[str, float]:
    return {**{s.name: s.tolerance for s in METRICS}, **{f"checker.{s.name}": s.tolerance for s in CHECKER_METRICS}}


def load_baseline(path: Path) -> Baseline:
    if not path.is_file():
        raise BaselineError(f"{path}: no such baseline file (write one with --update-baseline)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise BaselineError(f"{path}: not valid JSON ({e})") from e
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise BaselineError(f"{path}: expected a results file with 'cases' (written by --update-baseline)")
    tolerances = default_tolerances()
    known = set(tolerances)
    for key, value in (data.get("tolerances") or {}).items():
        if key not in known:
            raise BaselineError(f"{path}: 'tolerances.{key}' is not a metric (known: {', '.join(sorted(known))})")
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            raise BaselineError(f"{path}: 'tolerances.{key}' must be a number >= 0, got {value!r}")
        tolerances[key] = float(value)
    names = {f.name for f in fields(DraftMetrics)}
    drafts: dict[str, DraftMetrics] = {}
    for case in data["cases"]:
        for d in case.get("drafts") or []:
            metrics = {n: None for n in GUARD_METRICS} | (d.get("metrics") or {})  # older baselines lack these
            missing = names - set(metrics)
            if missing:
                raise BaselineError(f"{path}: {case.get('case')}/{d.get('draft')} lacks {', '.join(sorted(missing))}")
            drafts[f"{case['case']}/{d['draft']}"] = DraftMetrics(**{n: metrics[n] for n in names})
    checker = {k: v for k, v in ((data.get("checker") or {}).get("metrics") or {}).items() if v is not None}
    return Baseline(path, str(data.get("embedder", "")), tolerances, drafts, checker)


def write_baseline(run: EvalRun, path: Path, tolerances: dict[str, float] | None = None) -> None:
    """The run as the new baseline, keeping the tolerances the old one had."""
    payload = {"tolerances": tolerances or default_tolerances(), **run.to_json()}
    write_text_atomic(path, dumps(payload), force=True)


@dataclass(frozen=True)
class Delta:
    scope: str  # "case/draft", "aggregate" or "checker"
    metric: str
    baseline: float | None
    current: float | None
    tolerance: float
    higher_is_better: bool

    @property
    def change(self) -> float | None:
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline

    @property
    def worse_by(self) -> float:
        """How much worse than the baseline (0 when equal or better, or not comparable)."""
        change = self.change
        if change is None:
            return 0.0
        return max(0.0, -change if self.higher_is_better else change)

    @property
    def better(self) -> bool:
        change = self.change
        return change is not None and (change > 1e-9 if self.higher_is_better else change < -1e-9)

    @property
    def regression(self) -> bool:
        return self.worse_by > self.tolerance + 1e-9


@dataclass(frozen=True)
class Comparison:
    baseline: Path
    deltas: tuple[Delta, ...]
    notes: tuple[str, ...] = ()

    @property
    def regressions(self) -> tuple[Delta, ...]:
        return tuple(d for d in self.deltas if d.regression)

    def delta(self, scope: str, metric: str) -> Delta | None:
        return next((d for d in self.deltas if d.scope == scope and d.metric == metric), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "baseline": str(self.baseline),
            "notes": list(self.notes),
            "regressions": [{"scope": d.scope, "metric": d.metric, "baseline": d.baseline, "current": d.current,
                             "tolerance": d.tolerance} for d in self.regressions],
        }


def compare(run: EvalRun, baseline: Baseline) -> Comparison:
    """Per draft, the aggregate over the drafts both have, and the checker suite."""
    notes: list[str] = []
    specs = list(METRICS)
    if baseline.embedder and baseline.embedder != run.meta.embedder:
        specs = [s for s in specs if s.name != STYLE_METRIC]
        notes.append(f"style not compared: the baseline used the embedder {baseline.embedder}, this run {run.meta.embedder}")
    current = {d.key: d.metrics for d in run.drafts}
    common = sorted(set(current) & set(baseline.drafts))
    for key in sorted(set(baseline.drafts) - set(current)):
        notes.append(f"{key}: in the baseline, not scored now")
    for key in sorted(set(current) - set(baseline.drafts)):
        notes.append(f"{key}: new, not in the baseline")
    deltas: list[Delta] = []
    for key in common:
        for s in specs:
            deltas.append(Delta(key, s.name, baseline.drafts[key].value(s.name), current[key].value(s.name),
                                baseline.tolerances[s.name], s.higher_is_better))
    base_agg, cur_agg = aggregate([baseline.drafts[k] for k in common]), aggregate([current[k] for k in common])
    if base_agg and cur_agg:
        for s in specs:
            deltas.append(Delta("aggregate", s.name, base_agg.value(s.name), cur_agg.value(s.name),
                                baseline.tolerances[s.name], s.higher_is_better))
    if run.checker.error is None:
        for s in CHECKER_METRICS:
            if s.name in baseline.checker:
                deltas.append(Delta("checker", s.name, baseline.checker[s.name], run.checker.metrics[s.name],
                                    baseline.tolerances[f"checker.{s.name}"], s.higher_is_better))
    return Comparison(baseline.path, tuple(deltas), tuple(notes))


def with_tolerances(baseline_path: Path) -> dict[str, float]:
    """The tolerances of an existing baseline (to keep them on --update-baseline), else defaults."""
    try:
        return load_baseline(baseline_path).tolerances
    except BaselineError:
        return default_tolerances()


def compare_with_baseline(run: EvalRun, baseline_path: Path) -> Comparison:
    return compare(run, load_baseline(baseline_path))


def write_baseline_keeping_tolerances(run: EvalRun, path: Path) -> None:
    """--update-baseline: this run becomes the baseline; the old file's tolerances stay."""
    write_baseline(run, path, with_tolerances(path))

