"""``drafter facts check``: what is wrong or doubtful in a facts file, item by item.

Errors (exit 1): a fact without a name, a value that is not a number, a duplicate name (the
message names both lines, and both values when they differ) — the checker cannot load such a
file. Warnings: values still to fill, a value whose unit does not match its previous value's
(万元 vs 亿元 is fine: both are money once the magnitude is folded in; 人 vs 所 is not),
implausible jumps (more than ``JUMP``× or less than 1/``JUMP`` of the previous value — usually
a typo or a 万/亿 slip), names too short or generic for the checker to bind a number to (数量,
人数: a sentence never names them), and an alias that is also another fact's name.

Tables (YAML, CSV, XLSX) are read row by row with the loader's own reader (``facts.load.read_rows``),
so that every bad row is reported, not only the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from drafter.errors import FactsError
from drafter.facts.load import TABLE_SUFFIXES, Rows, duplicate_rows, load_facts, make_fact, read_rows
from drafter.numbers.match import units_compatible
from drafter.records import Fact

JUMP = 10.0


@dataclass(frozen=True)
class LintIssue:
    severity: str  # error | warning
    code: str  # no-name | not-a-number | duplicate | to-fill | unit | jump | generic-name | alias
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

    def to_json(self) -> dict:
        return {"path": self.path, "facts": self.facts,
                "issues": [i.__dict__ for i in self.issues],
                "summary": {"errors": self.errors, "warnings": self.warnings}}


def lint_facts_file(path: Path) -> LintReport:
    """Every problem of a facts file. A problem of the whole file (unknown type, missing, syntax,
    no header row) is the loader's FactsError; bad rows are each an issue, not only the first."""
    path = Path(path)
    if path.suffix.lower() in TABLE_SUFFIXES and path.is_file():
        facts, row_issues = _row_issues(read_rows(path), path)
    else:  # material, or a file the loader refuses whole
        facts, row_issues = list(load_facts(path).facts), []
    issues = row_issues + [i for f in facts for i in lint_fact(f)] + lint_names(facts)
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


# --- names the checker can bind to ---------------------------------------------------------------

# Words that say how something is counted, not what: a fact named only by them binds to nothing.
GENERIC_NAMES = frozenset({
    "数量", "人数", "人次", "次数", "金额", "总数", "总量", "合计", "总计", "数据", "指标", "个数", "面积",
    "比例", "比率", "占比", "完成率", "增长率", "增速", "增幅", "数值", "其他", "其它", "情况", "本期",
    "上期", "数", "值", "完成", "项目", "活动", "工作", "全年", "累计",
})
_GENERIC_TAIL = re.compile(r"(?:总人数|人数|人次|总数|数量|个数|总量|数)$")


def generic_name(name: str) -> bool:
    """Is a fact name too short or generic for a sentence to name it (数量, 人数, 全年人次)?"""
    from drafter.numbers.naming import normalise

    n = normalise(name)
    core = _GENERIC_TAIL.sub("", n)
    core = re.sub(r"^(?:全年|累计|本期|上期|合计|总计)", "", core)
    return len(n) < 2 or n in GENERIC_NAMES or core in GENERIC_NAMES or len(core) < 1


def lint_names(facts: list[Fact]) -> list[LintIssue]:
    """Warnings about names: too generic to bind, or an alias shared with another fact's name."""
    out = []
    owner: dict[str, str] = {}
    for f in facts:
        owner.setdefault(f.name, f.name)
    for f in facts:
        if generic_name(f.name) and not f.aliases:
            out.append(LintIssue("warning", "generic-name", f.name, f.line,
                                 f"the name '{f.name}' says how something is counted, not what: the checker "
                                 "cannot tell which sentence speaks of it; name what is counted (发展党员人数, "
                                 "干部培训人次) or add aliases"))
        for a in f.aliases:
            if a in owner and owner[a] != f.name:
                out.append(LintIssue("warning", "alias", f.name, f.line,
                                     f"alias '{a}' is also the name of '{owner[a]}': a sentence that says "
                                     f"'{a}' names both, and only the value can tell them apart"))
    return out


# --- row by row -------------------------------------------------------------------------------


def _row_issues(rows: Rows, path: Path) -> tuple[list[Fact], list[LintIssue]]:
    """The facts of the rows that read, and an error for every row that does not."""
    duplicates = {id(later): first for later, first in duplicate_rows(rows.rows)}
    facts: list[Fact] = []
    issues: list[LintIssue] = []
    for row in rows.rows:
        name = str(row.fields.get("name") or "").strip()
        if id(row) in duplicates:
            first = duplicates[id(row)]
            a, b = _raw_value(first), _raw_value(row)
            detail = (f"'{name}' is {a} at line {first.line} and {b} at line {row.line}" if a != b
                      else f"the same value {a or '(empty)'} at lines {first.line} and {row.line}; remove one")
            issues.append(LintIssue("error", "duplicate", name, row.line,
                                    f"duplicate name (first at line {first.line}): {detail}"))
            continue
        try:
            facts.append(make_fact(row.fields, row.where, row.line))
        except FactsError as e:
            code = "no-name" if not name else "not-a-number"
            message = re.sub(rf"^{re.escape(str(path))}(?::\d+)?:?\s*", "", str(e))  # keep a cell name
            message = re.sub(r"fact '[^']*': ", "", message)  # the name is shown beside it
            issues.append(LintIssue("error", code, name, row.line, message))
    return facts, issues


def _raw_value(row) -> str:
    v = row.fields.get("value")
    return "" if v is None else str(v).strip()
