"""Load the numbers an office supplies into ``Facts``.

Formats, chosen by extension:

- ``.yaml`` / ``.yml``: ``title``, ``period`` and a ``facts`` list of mappings with ``name`` and
  ``value`` (optional ``unit``, ``previous``, ``note``, ``section``, ``source``). Keys may also be
  the Chinese headers below. A missing or empty value is allowed: the fact is "to fill".
- ``.csv`` / ``.xlsx``: a table with a header row (指标/名称/name, 本期数值/数值/值/value,
  上期数值/上年/previous, 单位/unit, 所属部分/section, 来源/source, 备注/note). In a workbook the
  first sheet with such a header wins; merged header cells count for every column they cover.
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
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Sequence

from drafter.errors import FactsError
from drafter.numbers import extract, parse_quantity, to_quantity
from drafter.records import Fact, Facts, Quantity
from drafter.sources import read_user_text

_FIELDS = ("name", "value", "previous", "unit", "section", "source", "note")
# Header aliases, compared after trimming, lower-casing and dropping a bracketed tail.
_ALIASES = {
    "name": {"name", "指标", "名称", "指标名称", "项目", "事项", "fact"},
    "value": {"value", "本期数值", "数值", "值", "本期", "本期值", "数据", "本年", "本年数值", "今年"},
    "previous": {"previous", "上期数值", "上年", "上期", "上年数值", "去年", "上年同期", "同期"},
    "unit": {"unit", "units", "单位", "计量单位"},
    "section": {"section", "所属部分", "部分", "章节", "栏目"},
    "source": {"source", "来源", "数据来源", "出处"},
    "note": {"note", "notes", "备注", "说明", "口径"},
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
        quantity=q, previous_quantity=pq, extra=extra,
    )


def _check_duplicates(facts: list[Fact], where: Callable[[int], str]) -> None:
    seen: dict[str, int] = {}
    for f in facts:
        if f.name in seen:
            raise FactsError(f"{where(f.line)}: duplicate fact name '{f.name}' (first at {seen[f.name]})")
        seen[f.name] = f.line


def facts_from_mapping(data: Any, source_path: str = "", line_of: Callable[[Any], int] | None = None,
                       kind: str = "yaml") -> Facts:
    """Facts from parsed YAML/JSON-like data: a mapping with ``facts``, or a bare list."""
    line_of = line_of or (lambda node: 0)
    label = source_path or "facts"
    if isinstance(data, list):
        data = {"facts": data}
    if not isinstance(data, dict):
        raise FactsError(f"{label}: expected a mapping with title, period and facts")
    items = data.get("facts") or []
    if not isinstance(items, list):
        raise FactsError(f"{label}:{line_of(data)}: 'facts' must be a list")
    facts: list[Fact] = []
    for item in items:
        line = line_of(item)
        where = f"{label}:{line}" if line else label
        if not isinstance(item, dict):
            raise FactsError(f"{where}: each fact must be a mapping with name and value")
        row = {}
        for key, raw in item.items():
            if key == "__line__":
                continue
            field = key if key in _FIELDS else _header_key(key)
            if field:
                row[field] = raw
        facts.append(make_fact(row, where, line))
    _check_duplicates(facts, lambda ln: f"{label}:{ln}")
    return Facts(tuple(facts), _text(data.get("title")), _text(data.get("period")), source_path, kind)


# --- formats --------------------------------------------------------------------------------


def load_facts(path: str | Path) -> Facts:
    """Load a facts file (YAML, CSV, XLSX or Markdown/TXT material)."""
    path = Path(path)
    ext = path.suffix.lower()
    loaders = {".yaml": _load_yaml, ".yml": _load_yaml, ".csv": _load_csv, ".xlsx": _load_xlsx,
               ".md": _load_material, ".markdown": _load_material, ".txt": _load_material}
    if ext not in loaders:
        raise FactsError(f"{path}: unknown facts file type '{ext or '(none)'}' "
                         "(use .yaml, .csv, .xlsx, .md or .txt)")
    if not path.is_file():
        raise FactsError(f"{path}: no such facts file")
    return loaders[ext](path)


def _load_yaml(path: Path) -> Facts:
    import yaml

    class LineLoader(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
        result = loader.construct_mapping(node, deep=True)
        result["__line__"] = node.start_mark.line + 1
        return result

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    text = read_user_text(path, FactsError)
    try:
        data = yaml.load(text, Loader=LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise FactsError(f"{path}{line}: YAML syntax error: {problem}") from e
    if data is None:
        raise FactsError(f"{path}: the facts file is empty")
    return facts_from_mapping(data, str(path), lambda n: n.get("__line__", 0) if isinstance(n, dict) else 0)


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


def _table_facts(rows: list[tuple[str, list[Any]]], path: Path, kind: str, where_cell) -> Facts | None:
    """Facts from table rows [(row label, cells)]; None when no header row is found."""
    header = find_header(rows)
    if header is None:
        return None
    header_i, cols = header
    facts: list[Fact] = []
    for label, cells in rows[header_i + 1:]:
        row = {f: cells[j] if j < len(cells) else None for f, j in cols.items()}
        if all(_text(v) == "" for v in row.values()):
            continue
        facts.append(make_fact(row, where_cell(label, cols.get("value", 0)), int(label) if str(label).isdigit() else 0))
    _check_duplicates(facts, lambda ln: f"{path}:{ln}")
    return Facts(tuple(facts), "", "", str(path), kind)


def _load_csv(path: Path) -> Facts:
    text = read_user_text(path, FactsError)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows: list[tuple[str, list[Any]]] = []
    try:
        for cells in reader:
            rows.append((str(reader.line_num), [c.strip() for c in cells]))
    except csv.Error as e:
        raise FactsError(f"{path}:{reader.line_num}: CSV error: {e}") from e
    facts = _table_facts(rows, path, "csv", lambda label, _col: f"{path}:{label}")
    if facts is None:
        raise FactsError(f"{path}: no header row with a name column (指标/名称/name) and a "
                         "value column (本期数值/数值/值/value)")
    return facts


def _load_xlsx(path: Path) -> Facts:
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
        rows: list[tuple[str, list[Any]]] = []
        for r, row in enumerate(ws.iter_rows(), start=1):
            cells = [merged[(r, c.column)] if (r, c.column) in merged else _cell_value(c)
                     for c in row]
            rows.append((str(r), cells))

        def where(label: str, col: int, ws=ws) -> str:
            return f"{path} sheet '{ws.title}' cell {get_column_letter(col + 1)}{label}"

        facts = _table_facts(rows, path, "xlsx", where)
        if facts is not None:
            props = wb.properties  # set by `drafter facts table` (title, period); absent elsewhere
            title = props.title if props.title and props.title != "数据表" else ""
            return replace(facts, title=title or facts.title, period=props.subject or facts.period)
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


def _load_material(path: Path) -> Facts:
    text = read_user_text(path, FactsError)
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
        a = max(text.rfind(c, 0, m.start) for c in "。！？；\n") + 1
        ends = [i for i in (text.find(c, m.end) for c in "。！？；\n") if i >= 0]
        sentence = text[a:min(ends) if ends else len(text)].strip()
        line = bisect.bisect_right(starts, m.start)
        q = to_quantity(m) if m.kind == "data" else None
        facts.append(Fact(name=sentence[:80], value=m.text, number=q.value if q else None,
                          unit=q.unit if q else m.unit, line=line, quantity=q))
    return Facts(tuple(facts), title, f"{period}年" if period else "", str(path), "material")
