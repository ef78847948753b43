"""Load the numbers an office supplies into ``Facts``.

Formats, chosen by extension:

- ``.yaml`` / ``.yml``: ``title``, ``period`` and a ``facts`` list of mappings with ``name`` and
  ``value`` (optional ``unit``, ``previous``, ``note``, ``section``, ``source``, ``aliases``). Keys
  may also be the Chinese headers below. A missing or empty value is allowed: the fact is "to fill".
- ``.csv`` / ``.xlsx``: a table with a header row (指标/名称/name, 本期数值/数值/值/value,
  上期数值/上年/previous, 单位/unit, 所属部分/section, 来源/source, 备注/note, 别名/aliases). In a
  workbook the first sheet with such a header wins; merged header cells count for every column they cover.

``aliases`` are other names the office uses for the indicator (高企 for 高新技术企业, 经济总量 for
地区生产总值): a YAML list, or one cell with the names separated by 、，,；; or /. The checker
accepts a number written under an alias as written under the fact's name (numbers/naming.py).
- ``.md`` / ``.markdown`` / ``.txt``: free "material"; every number in it counts as supplied,
  named by the sentence it stands in.

Every problem is a ``FactsError`` that names the file, the line (or cell) and what is wrong.
Text files may be UTF-8 or GB18030 (charset-normalizer decides when UTF-8 fails).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from drafter.errors import FactsError
from drafter.fileio import read_user_text
from drafter.numbers.extract import extract, parse_quantity, to_quantity
from drafter.numbers.spans import span
from drafter.records import Fact, Facts, Quantity

_FIELDS = ("name", "value", "previous", "unit", "section", "source", "note", "aliases")
# Header aliases, compared after trimming, lower-casing and dropping a bracketed tail.
_ALIASES = {
    "name": {"name", "指标", "名称", "指标名称", "项目", "事项", "fact"},
    "value": {"value", "本期数值", "数值", "值", "本期", "本期值", "数据", "本年", "本年数值", "今年"},
    "previous": {"previous", "上期数值", "上年", "上期", "上年数值", "去年", "上年同期", "同期"},
    "unit": {"unit", "units", "单位", "计量单位"},
    "section": {"section", "所属部分", "部分", "章节", "栏目"},
    "source": {"source", "来源", "数据来源", "出处"},
    "note": {"note", "notes", "备注", "说明", "口径"},
    "aliases": {"aliases", "alias", "别名", "又称", "简称", "其他名称"},
}
_LOOKUP = {alias: field for field, aliases in _ALIASES.items() for alias in aliases}


def _header_key(cell: Any) -> str | None:
    if cell is None:
        return None
    s = re.sub(r"[（(][^）)]*[）)]\s*$", "", str(cell)).strip().lower().replace(" ", "")
    return _LOOKUP.get(s)


# --- reading text ---------------------------------------------------------------------------


# --- building facts -------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell or YAML scalar as written: 7620 → "7620", 12.73 → "12.73", a date → 2025-05-27."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip()


def _quantity(text: str, unit: str) -> tuple[Quantity | None, bool]:
    """(quantity, is_date) of a value as written, with the fact's unit when it has none."""
    if not text:
        return None, False
    q = parse_quantity(text)
    if q is not None and unit and not q.unit:
        q = parse_quantity(text + unit) or q
    if q is None:
        is_date = any(m.kind == "date" for m in extract(text, lenient=True))
        return None, is_date
    return q, False


_ALIAS_SPLIT = re.compile(r"[、，,；;/／|\n]+")


def aliases_of(raw: Any, where: str = "", name: str = "") -> tuple[str, ...]:
    """The aliases of a fact as given: a list, or one string with separators; blanks and the name
    itself are dropped, the order is kept."""
    if raw is None or raw == "":
        return ()
    if isinstance(raw, (list, tuple)):
        items = [_text(x) for x in raw]
    elif isinstance(raw, (str, int, float)):
        items = _ALIAS_SPLIT.split(_text(raw))
    else:
        raise FactsError(f"{where}: fact '{name}': aliases must be a list of names")
    out: list[str] = []
    for item in (i.strip() for i in items):
        if item and item != name and item not in out:
            out.append(item)
    return tuple(out)


def make_fact(row: dict[str, Any], where: str, line: int) -> Fact:
    """One fact from a mapping of field → raw value. ``where`` prefixes error messages."""
    name = _text(row.get("name"))
    if not name:
        raise FactsError(f"{where}: a fact without a name")
    unit = _text(row.get("unit"))
    value = _text(row.get("value"))
    previous = _text(row.get("previous")) or None
    q, is_date = _quantity(value, unit)
    if value and q is None and not is_date:
        raise FactsError(f"{where}: fact '{name}': value '{value}' is not a number")
    pq, p_is_date = _quantity(previous or "", unit)
    if previous and pq is None and not p_is_date:
        raise FactsError(f"{where}: fact '{name}': previous value '{previous}' is not a number")
    note = _text(row.get("note"))
    extra = tuple(
        to_quantity(m)
        for part in (name, note)
        for m in extract(part)
        if m.kind == "data" and m.value is not None
    )
    if q is not None:  # 三年一周期、五年全覆盖: the later numbers of a value count as well
        extra += tuple(to_quantity(m) for m in extract(value, lenient=True)[1:]
                       if m.kind == "data" and m.value is not None)
    return Fact(
        name=name, value=value, number=q.value if q else None, unit=q.unit if q else unit,
        previous=previous, previous_number=pq.value if pq else None, note=note, line=line,
        section=_text(row.get("section")), source=_text(row.get("source")),
        quantity=q, previous_quantity=pq, extra=extra, aliases=aliases_of(row.get("aliases"), where, name),
    )


def duplicate_rows(rows: Sequence[Row]) -> list[tuple[Row, Row]]:
    """(later row, first row) for every fact name given twice."""
    first: dict[str, Row] = {}
    pairs = []
    for row in rows:
        name = _text(row.fields.get("name"))
        if name in first:
            pairs.append((row, first[name]))
        elif name:
            first[name] = row
    return pairs


# --- reading a file row by row -----------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One fact as a file gives it, before it is read as numbers."""

    line: int  # YAML/CSV line or XLSX row; 0 when unknown
    where: str  # how errors name it: "facts.yaml:12", "facts.xlsx sheet '数据表' cell C12"
    fields: dict[str, Any]  # name, value, previous, unit, section, source, note → raw value


@dataclass(frozen=True)
class Rows:
    rows: tuple[Row, ...]
    title: str = ""
    period: str = ""


TABLE_SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx")
MATERIAL_SUFFIXES = (".md", ".markdown", ".txt")


def read_rows(path: Path) -> Rows:
    """Every fact row of a YAML, CSV or XLSX facts file. A problem of the whole file (syntax, no
    header row, no list of facts) is a FactsError; a bad row is left for the caller to judge, so
    loading stops at the first one and linting reports them all."""
    readers = {".yaml": _yaml_rows, ".yml": _yaml_rows, ".csv": _csv_rows, ".xlsx": _xlsx_rows}
    return readers[path.suffix.lower()](path)


def rows_from_mapping(data: Any, label: str, line_of: Callable[[Any], int] | None = None) -> Rows:
    """Rows from parsed YAML/JSON-like data: a mapping with ``facts``, or a bare list."""
    line_of = line_of or (lambda node: 0)
    if isinstance(data, list):
        data = {"facts": data}
    if not isinstance(data, dict):
        raise FactsError(f"{label}: expected a mapping with title, period and facts")
    items = data.get("facts") or []
    if not isinstance(items, list):
        raise FactsError(f"{label}:{line_of(data)}: 'facts' must be a list")
    rows = []
    for item in items:
        line = line_of(item)
        where = f"{label}:{line}" if line else label
        if not isinstance(item, dict):
            raise FactsError(f"{where}: each fact must be a mapping with name and value")
        fields = {}
        for key, raw in item.items():
            field = key if key in _FIELDS else _header_key(key)
            if field and key != "__line__":
                fields[field] = raw
        rows.append(Row(line, where, fields))
    return Rows(tuple(rows), _text(data.get("title")), _text(data.get("period")))


def _yaml_rows(path: Path) -> Rows:
    import yaml

    class LineLoader(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
        result = loader.construct_mapping(node, deep=True)
        result["__line__"] = node.start_mark.line + 1
        return result

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    text = read_user_text(path, "facts", FactsError)
    try:
        data = yaml.load(text, Loader=LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise FactsError(f"{path}{line}: YAML syntax error: {problem}") from e
    if data is None:
        raise FactsError(f"{path}: the facts file is empty")
    return rows_from_mapping(data, str(path), lambda n: n.get("__line__", 0) if isinstance(n, dict) else 0)


def find_header(rows: Sequence[tuple[Any, list[Any]]]) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, field → column) among the first rows of a table: the row that
    names a name and a value column and the most other fields; None when there is none."""
    best: tuple[int, dict[str, int]] | None = None
    for i, (_, cells) in enumerate(rows[:12]):
        cols: dict[str, int] = {}
        for j, cell in enumerate(cells):
            key = _header_key(cell)
            if key and key not in cols:
                cols[key] = j
        if "name" in cols and "value" in cols and (best is None or len(cols) > len(best[1])):
            best = (i, cols)
    return best


def _table_rows(cells: list[tuple[str, list[Any]]], where: Callable[[str, dict[str, int]], str]) -> Rows | None:
    """Rows under the header row of a table given as [(row label, cells)]; None when it has no header."""
    header = find_header(cells)
    if header is None:
        return None
    header_i, cols = header
    rows = []
    for label, row in cells[header_i + 1:]:
        fields = {f: row[j] if j < len(row) else None for f, j in cols.items()}
        if all(_text(v) == "" for v in fields.values()):
            continue
        rows.append(Row(int(label) if str(label).isdigit() else 0, where(label, cols), fields))
    return Rows(tuple(rows))


_NO_HEADER = "no header row with a name column (指标/名称/name) and a value column (本期数值/数值/值/value)"


def _csv_rows(path: Path) -> Rows:
    text = read_user_text(path, "facts", FactsError)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    cells: list[tuple[str, list[Any]]] = []
    try:
        for row in reader:
            cells.append((str(reader.line_num), [c.strip() for c in row]))
    except csv.Error as e:
        raise FactsError(f"{path}:{reader.line_num}: CSV error: {e}") from e
    rows = _table_rows(cells, lambda label, _cols: f"{path}:{label}")
    if rows is None:
        raise FactsError(f"{path}: {_NO_HEADER}")
    return rows


def _xlsx_rows(path: Path) -> Rows:
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged or foreign file
        raise FactsError(f"{path}: not a readable .xlsx workbook ({type(e).__name__})") from e
    for ws in wb.worksheets:
        merged = {}
        for rng in ws.merged_cells.ranges:  # a merged header covers every column it spans
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    merged[(r, c)] = top
        cells = [(str(r), [merged[(r, c.column)] if (r, c.column) in merged else _cell_value(c) for c in row])
                 for r, row in enumerate(ws.iter_rows(), start=1)]

        def where(label: str, cols: dict[str, int], ws=ws) -> str:
            return f"{path} sheet '{ws.title}' cell {get_column_letter(cols.get('value', 0) + 1)}{label}"

        rows = _table_rows(cells, where)
        if rows is not None:
            props = wb.properties  # set by `drafter facts table` (title, period); absent elsewhere
            title = props.title if props.title and props.title != "数据表" else ""
            return replace(rows, title=title, period=props.subject or "")
    raise FactsError(f"{path}: no sheet has a header row with a name column (指标/名称/name) "
                     "and a value column (本期数值/数值/值/value)")


def _cell_value(cell: Any) -> Any:
    """A cell as the office sees it: 0.6255 formatted 0.00% is "62.55%"."""
    v = cell.value
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and "%" in fmt:
        decimals = len(fmt.split(".")[1].split("%")[0]) if "." in fmt else 0
        return f"{v * 100:.{decimals}f}%"
    return v


# --- loading --------------------------------------------------------------------------------


def facts_from_rows(rows: Rows, source_path: str, kind: str) -> Facts:
    """Facts from rows; the first bad row or duplicate name is a FactsError naming it."""
    for later, first in duplicate_rows(rows.rows):
        a, b = _text(first.fields.get("value")), _text(later.fields.get("value"))
        values = f": {a or '(empty)'} there, {b or '(empty)'} here" if a != b else ""
        raise FactsError(f"{later.where}: duplicate fact name '{_text(later.fields.get('name'))}' "
                         f"(first at {first.line}{values})")
    facts = tuple(make_fact(r.fields, r.where, r.line) for r in rows.rows)
    return Facts(facts, rows.title, rows.period, source_path, kind)


def facts_from_mapping(data: Any, source_path: str = "", line_of: Callable[[Any], int] | None = None,
                       kind: str = "yaml") -> Facts:
    """Facts from parsed YAML/JSON-like data (tests, eval sets): a mapping with ``facts``, or a list."""
    return facts_from_rows(rows_from_mapping(data, source_path or "facts", line_of), source_path, kind)


def load_facts(path: str | Path) -> Facts:
    """Load a facts file (YAML, CSV, XLSX or Markdown/TXT material)."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in TABLE_SUFFIXES + MATERIAL_SUFFIXES:
        raise FactsError(f"{path}: unknown facts file type '{ext or '(none)'}' "
                         "(use .yaml, .csv, .xlsx, .md or .txt)")
    if not path.is_file():
        raise FactsError(f"{path}: no such facts file")
    if ext in MATERIAL_SUFFIXES:
        return _load_material(path)
    return facts_from_rows(read_rows(path), str(path), {".yml": "yaml"}.get(ext, ext[1:]))


def _load_material(path: Path) -> Facts:
    text = read_user_text(path, "facts", FactsError)
    lines = text.splitlines()
    title = next((ln.strip().lstrip("#").strip() for ln in lines if ln.strip()), "")
    starts = [0]
    for ln in lines:
        starts.append(starts[-1] + len(ln) + 1)
    facts: list[Fact] = []
    period = ""
    import bisect

    for m in extract(text):
        if m.kind not in ("data", "date") or m.value is None:
            continue
        if m.kind == "date":
            period = period or (m.key if len(m.key) == 4 else "")
        a, b = span(text, m.start, m.end)
        sentence = text[a:b].strip()
        line = bisect.bisect_right(starts, m.start)
        q = to_quantity(m) if m.kind == "data" else None
        facts.append(Fact(name=sentence[:80], value=m.text, number=q.value if q else None,
                          unit=q.unit if q else m.unit, line=line, quantity=q))
    return Facts(tuple(facts), title, f"{period}年" if period else "", str(path), "material")
