"""``drafter facts check``: what is wrong or doubtful in a facts file, item by item.

Errors (exit 1): a fact without a name, a value that is not a number, a duplicate name — the
checker cannot load such a file. Warnings: values still to fill, a value whose unit does not
match its previous value's (万元 vs 亿元 is fine: both are money once the magnitude is folded
in; 人 vs 所 is not), and implausible jumps (more than ``JUMP``× or less than 1/``JUMP`` of
the previous value — usually a typo or a 万/亿 slip).

A file that loads is linted from its ``Facts``; one that does not is re-read row by row, so
that every bad row is reported, not only the first.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.check import units_compatible
from drafter.errors import FactsError
from drafter.facts import find_header, load_facts, make_fact
from drafter.sources import read_user_text
from drafter.records import Fact

JUMP = 10.0


@dataclass(frozen=True)
class LintIssue:
    severity: str  # error | warning
    code: str  # no-name | not-a-number | duplicate | to-fill | unit | jump
    name: str
    line: int  # YAML/CSV line or XLSX row; 0 when unknown
    message: str


@dataclass(frozen=True)
class LintReport:
    path: str
    facts: int
    issues: tuple[LintIssue, ...]

    @property
    def errors(self) -> int:
        return sum(i.severity == "error" for i in self.issues)

    @property
    def warnings(self) -> int:
        return sum(i.severity == "warning" for i in self.issues)

    @property
    def has_errors(self) -> bool:
        return self.errors > 0

    def as_json(self) -> dict:
        return {"path": self.path, "facts": self.facts,
                "issues": [i.__dict__ for i in self.issues],
                "summary": {"errors": self.errors, "warnings": self.warnings}}


def lint_facts_file(path: Path) -> LintReport:
    try:
        facts = load_facts(path).facts
        row_issues: list[LintIssue] = []
    except FactsError as first:
        rows = _rows(path)
        if rows is None:
            raise  # a file-level problem (syntax, no header): the loader's message says it
        facts, row_issues = _facts_from_rows(rows, path)
        if not row_issues:
            raise first
    issues = row_issues + [i for f in facts for i in lint_fact(f)]
    issues.sort(key=lambda i: (i.line, i.severity != "error"))
    return LintReport(str(path), len(facts) + sum(i.code in ("no-name", "not-a-number") for i in row_issues),
                      tuple(issues))


def lint_fact(f: Fact) -> list[LintIssue]:
    """The warnings of one loaded fact."""
    out = []
    if f.to_fill:
        out.append(LintIssue("warning", "to-fill", f.name, f.line, "value to fill"))
    q, p = f.quantity, f.previous_quantity
    if q is None or p is None:
        return out
    q_rank, p_rank = "ordinal" in q.qualifier, "ordinal" in p.qualifier
    if q_rank != p_rank:
        out.append(LintIssue("warning", "unit", f.name, f.line,
                             f"value {f.value} is {'a rank' if q_rank else 'not a rank'} but previous "
                             f"{f.previous} is {'a rank' if p_rank else 'not'}"))
        return out
    if q.unit and p.unit and not units_compatible(q.unit, p.unit):
        out.append(LintIssue("warning", "unit", f.name, f.line,
                             f"value {f.value} is in {q.unit} but previous {f.previous} is in {p.unit}"))
        return out
    qv, pv = q.value, p.value
    if (q.unit == "%") != (p.unit == "%") and not (q.unit or p.unit).replace("%", ""):
        # 0.7 beside 62.55%: a fraction, as the checker reads it (a workbook cell without format)
        qv, pv = (qv * 100 if not q.unit and qv <= 1.5 else qv), (pv * 100 if not p.unit and pv <= 1.5 else pv)
    if not q_rank and qv > 0 and pv > 0:
        ratio = qv / pv
        if ratio > JUMP or ratio < 1 / JUMP:
            times = f"{ratio:.0f}×" if ratio > 1 else f"1/{1 / ratio:.0f}"
            out.append(LintIssue("warning", "jump", f.name, f.line,
                                 f"value {f.value} is {times} the previous {f.previous}: a typo or a 万/亿 slip?"))
    return out


# --- the row-by-row path for files the loader rejects ----------------------------------------


def _facts_from_rows(rows: list[tuple[int, str, dict[str, Any]]], path: Path) -> tuple[list[Fact], list[LintIssue]]:
    facts: list[Fact] = []
    issues: list[LintIssue] = []
    seen: dict[str, int] = {}
    for line, where, row in rows:
        name = str(row.get("name") or "").strip()
        if name and name in seen:
            issues.append(LintIssue("error", "duplicate", name, line, f"duplicate name (first at line {seen[name]})"))
            continue
        seen.setdefault(name, line)
        try:
            facts.append(make_fact(row, where, line))
        except FactsError as e:
            code = "no-name" if not name else "not-a-number"
            message = re.sub(rf"^{re.escape(str(path))}(?::\d+)?:?\s*", "", str(e))  # keep a cell name
            message = re.sub(r"fact '[^']*': ", "", message)  # the name is shown beside it
            issues.append(LintIssue("error", code, name, line, message))
    return facts, issues


def _rows(path: Path) -> list[tuple[int, str, dict[str, Any]]] | None:
    ext = path.suffix.lower()
    try:
        if ext in (".yaml", ".yml"):
            return _yaml_rows(path)
        if ext == ".csv":
            return _table_rows(_csv_cells(path), f"{path}")
        if ext == ".xlsx":
            return _xlsx_rows(path)
    except Exception:  # noqa: BLE001 - any failure here means: report the loader's own error
        return None
    return None


def _field(key: Any) -> str | None:
    from drafter.facts import _FIELDS, _header_key

    return key if key in _FIELDS else _header_key(key)


def _yaml_rows(path: Path) -> list[tuple[int, str, dict[str, Any]]] | None:
    import yaml

    class LineLoader(yaml.SafeLoader):
        pass

    def mapping(loader, node):
        result = loader.construct_mapping(node, deep=True)
        result["__line__"] = node.start_mark.line + 1
        return result

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    data = yaml.load(read_user_text(path, FactsError), Loader=LineLoader)  # noqa: S506 - SafeLoader subclass
    items = data.get("facts") if isinstance(data, dict) else data
    if not isinstance(items, list):
        return None
    rows = []
    for item in items:
        if not isinstance(item, dict):
            return None
        line = item.get("__line__", 0)
        row = {f: v for k, v in item.items() if k != "__line__" and (f := _field(k))}
        rows.append((line, f"{path}:{line}", row))
    return rows


def _csv_cells(path: Path) -> list[tuple[int, list[Any]]]:
    text = read_user_text(path, FactsError)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    return [(reader.line_num, [c.strip() for c in cells]) for cells in reader]


def _xlsx_rows(path: Path) -> list[tuple[int, str, dict[str, Any]]] | None:
    import openpyxl
    from openpyxl.utils import get_column_letter

    from drafter.facts import _cell_value

    wb = openpyxl.load_workbook(path, data_only=True)
    for ws in wb.worksheets:
        merged = {}
        for rng in ws.merged_cells.ranges:
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    merged[(r, c)] = top
        cells = [(r, [merged[(r, c.column)] if (r, c.column) in merged else _cell_value(c) for c in row])
                 for r, row in enumerate(ws.iter_rows(), start=1)]
        header = find_header(cells)
        if header is None:
            continue
        value_col = get_column_letter(header[1]["value"] + 1)
        return _table_rows(cells, f"{path} sheet '{ws.title}'", lambda r: f"{path} sheet '{ws.title}' cell {value_col}{r}")
    return None


def _table_rows(cells: list[tuple[int, list[Any]]], label: str, where=None) -> list[tuple[int, str, dict[str, Any]]] | None:
    header = find_header(cells)
    if header is None:
        return None
    i, cols = header
    rows = []
    for line, row in cells[i + 1:]:
        values = {f: row[j] if j < len(row) else None for f, j in cols.items()}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        rows.append((line, where(line) if where else f"{label}:{line}", values))
    return rows
