"""Eval cases: a folder with case.yaml (report type, topic, facts file, expectations) and sample
drafts in drafts/*.md. A broken case is reported; the others still load."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from drafter.errors import DrafterError, FactsError, InputFileError
from drafter.facts.load import load_facts
from drafter.numbers.extract import parse_quantity
from drafter.records import Facts


class CaseError(InputFileError):
    meaning = "an eval case is missing a file or has a malformed expectation"



# --- cases -------------------------------------------------------------------------------------

_CASE_KEYS = {"type": str, "topic": str, "facts": str, "expect": dict}
_EXPECT_KEYS = {"sections": list, "facts": (list, str), "forbidden_numbers": list, "length": list,
                "forbidden_phrases": list}


@dataclass(frozen=True)
class Expectations:
    sections: tuple[str, ...] = ()  # regular expressions, matched against the draft's headings
    facts: tuple[str, ...] | None = None  # names of facts that must appear; None: every fact with a number
    forbidden_numbers: tuple[str, ...] = ()  # as written: 12.4%, 18项
    length: tuple[int, int] | None = None  # characters, whitespace not counted
    forbidden_phrases: tuple[str, ...] = ()  # on top of DEFAULT_FORBIDDEN_PHRASES


@dataclass(frozen=True)
class Case:
    case_id: str
    folder: Path
    doc_type: str
    topic: str
    facts_path: Path
    facts: Facts
    expect: Expectations
    drafts: tuple[Path, ...]


def _fail(where: Path, key: str, problem: str) -> CaseError:
    return CaseError(f"{where}: '{key}' {problem}")


def load_case(folder: Path) -> Case:
    """One case folder. Raises CaseError naming the file and the key at fault."""
    path = folder / "case.yaml"
    if not path.is_file():
        raise CaseError(f"{folder}: no case.yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise CaseError(f"{path}: not valid YAML ({str(e).splitlines()[0]})") from e
    if not isinstance(data, dict):
        raise CaseError(f"{path}: expected a mapping with {', '.join(_CASE_KEYS)}")
    for key, value in data.items():
        if key not in _CASE_KEYS:
            raise _fail(path, key, f"is not a known key (known: {', '.join(_CASE_KEYS)})")
        if not isinstance(value, _CASE_KEYS[key]):
            raise _fail(path, key, f"must be a {_CASE_KEYS[key].__name__}, got {type(value).__name__}")
    for key in ("type", "facts"):
        if not data.get(key):
            raise _fail(path, key, "is required")
    facts_path = (folder / data["facts"]).resolve()
    if not facts_path.is_file():
        raise _fail(path, "facts", f"names {data['facts']}, which does not exist ({facts_path})")
    try:
        facts = load_facts(facts_path)
    except FactsError as e:
        raise CaseError(f"{path}: 'facts': {e}") from e

    raw = data.get("expect") or {}
    for key, value in raw.items():
        where = f"expect.{key}"
        if key not in _EXPECT_KEYS:
            raise _fail(path, where, f"is not a known expectation (known: {', '.join(_EXPECT_KEYS)})")
        allowed = _EXPECT_KEYS[key]
        if not isinstance(value, allowed):
            names = " or ".join(t.__name__ for t in (allowed if isinstance(allowed, tuple) else (allowed,)))
            raise _fail(path, where, f"must be a {names}, got {type(value).__name__}")
    sections = tuple(str(p) for p in raw.get("sections", []))
    for p in sections:
        try:
            re.compile(p)
        except re.error as e:
            raise _fail(path, "expect.sections", f"holds an invalid pattern {p!r} ({e})") from e
    required: tuple[str, ...] | None = None
    if isinstance(raw.get("facts"), str):
        if raw["facts"] != "all":
            raise _fail(path, "expect.facts", f"must be a list of fact names or 'all', got {raw['facts']!r}")
    elif "facts" in raw:
        required = tuple(str(n) for n in raw["facts"])
        known = {f.name: f for f in facts.facts}
        for name in required:
            if name not in known:
                raise _fail(path, "expect.facts", f"names {name!r}, which is not in {data['facts']}")
            if known[name].quantity is None:
                raise _fail(path, "expect.facts", f"names {name!r}, which has no number to look for")
    numbers = tuple(str(n) for n in raw.get("forbidden_numbers", []))
    for n in numbers:
        if parse_quantity(n) is None:
            raise _fail(path, "expect.forbidden_numbers", f"holds {n!r}, which is not a number")
    length = None
    if "length" in raw:
        lr = raw["length"]
        if len(lr) != 2 or not all(isinstance(x, int) and not isinstance(x, bool) for x in lr) or not 0 <= lr[0] <= lr[1]:
            raise _fail(path, "expect.length", f"must be [min, max] characters with 0 <= min <= max, got {lr!r}")
        length = (lr[0], lr[1])
    expect = Expectations(sections, required, numbers, length, tuple(str(p) for p in raw.get("forbidden_phrases", [])))
    drafts = tuple(sorted((folder / "drafts").glob("*.md")))
    if not drafts:
        raise CaseError(f"{folder}: no drafts/*.md to score")
    return Case(folder.name, folder, data["type"], str(data.get("topic", "")), facts_path, facts, expect, drafts)


@dataclass(frozen=True)
class BrokenCase:
    case_id: str
    error: str


def load_cases(cases_dir: Path) -> tuple[list[Case], list[BrokenCase]]:
    """Every case folder (sorted); a broken one is reported, the others still load."""
    if not cases_dir.is_dir():
        raise CaseError(f"{cases_dir}: no such cases folder")
    cases, broken = [], []
    for folder in sorted(p for p in cases_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        try:
            cases.append(load_case(folder))
        except DrafterError as e:
            broken.append(BrokenCase(folder.name, str(e)))
    return cases, broken

