"""Prompts are files: ``prompts/NAME.md`` = YAML front matter + a template body.

    ---
    name: section_chat
    mode: chat                 # chat (messages) | completion (one text, for base models)
    description: 起草一节正文
    variables: [title, facts]  # every ${var} the body uses, and no other: checked on load
    stop: ["\\n\\n\\n"]          # optional stop sequences
    temperature: 0.3           # optional, overrides llm.temperature for this prompt
    max_tokens: 1200           # optional, overrides llm.max_tokens
    separator: "\\n\\n"          # optional: how the caller should join repeated items (examples)
    ---
    [[system]]
    你是……
    [[user]]
    ${title} ……

Chat bodies are cut into messages at lines ``[[system]]``, ``[[user]]``, ``[[assistant]]``
(assistant turns make few-shot examples). A completion body is one text, with no such lines;
its trailing newlines are dropped, so end it where the model should go on writing.
Placeholders are ``${name}`` (``string.Template``), so Chinese text, ``{}`` and ``｛｝`` are safe;
a literal dollar sign is ``$$``. A missing variable is a ``PromptError`` naming it and the file.

Where prompts are found, first hit wins: ``prompts_dir`` if given (only there); otherwise
``<working dir>/prompts/`` (an office overrides any prompt with a file of the same name), then the
copies shipped in the package (``drafter/prompts/`` of an installed wheel, mapped from the
repository's top-level ``prompts/`` by pyproject.toml), then the repository's ``prompts/`` itself
(an editable install runs from the checkout).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

import yaml

from drafter.errors import PromptError
from drafter.llm.client import ChatRequest, Message, Mode, prompt_sha256

ROLES = ("system", "user", "assistant")
_ROLE_LINE = re.compile(r"^\[\[(system|user|assistant)\]\]\s*$", re.MULTILINE)
_NAME = re.compile(r"^[a-z0-9_]+$")
_KNOWN_KEYS = {"name", "mode", "description", "variables", "stop", "temperature", "max_tokens", "separator"}


@dataclass(frozen=True)
class RenderedPrompt:
    name: str
    mode: Mode
    messages: tuple[Message, ...]  # chat mode
    text: str  # completion mode: the whole prompt
    stop: tuple[str, ...]
    temperature: float | None
    max_tokens: int | None

    @property
    def sha256(self) -> str:
        return prompt_sha256(self.mode, self.messages, self.text, self.stop)

    def request(self, *, stage: str, section: str = "") -> ChatRequest:
        return ChatRequest(
            mode=self.mode,
            messages=self.messages,
            prompt=self.text,
            stop=self.stop,
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            stage=stage,
            section=section,
            prompt_name=self.name,
        )


@dataclass(frozen=True)
class Prompt:
    name: str
    path: Path
    mode: Mode
    description: str
    variables: tuple[str, ...]
    stop: tuple[str, ...]
    temperature: float | None
    max_tokens: int | None
    separator: str
    parts: tuple[tuple[str, str], ...]  # (role, template); completion mode: one ("prompt", …)

    def render(self, **values: str | int) -> RenderedPrompt:
        missing = [v for v in self.variables if v not in values]
        if missing:
            raise PromptError(f"prompt {self.path}: no value for ${{{missing[0]}}}" + _more(missing))
        unknown = sorted(set(values) - set(self.variables))
        if unknown:
            raise PromptError(f"prompt {self.path} has no variable ${{{unknown[0]}}}" + _more(unknown))
        text_values = {}
        for key, value in values.items():
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                raise PromptError(f"prompt {self.path}: ${{{key}}} must be text, got {type(value).__name__}")
            text_values[key] = str(value)
        if self.mode == "completion":
            # A base model continues right where the text stops: no trailing newline of the file.
            text = string.Template(self.parts[0][1]).substitute(text_values).rstrip("\n")
            return RenderedPrompt(self.name, "completion", (), text, self.stop, self.temperature, self.max_tokens)
        messages = tuple(
            Message(role, string.Template(body).substitute(text_values).strip())  # type: ignore[arg-type]
            for role, body in self.parts
        )
        return RenderedPrompt(self.name, "chat", messages, "", self.stop, self.temperature, self.max_tokens)


def _more(items: list[str]) -> str:
    return f" (and {len(items) - 1} more: {', '.join(items[1:])})" if len(items) > 1 else ""


def as_material(text: str) -> str:
    """Corpus text as it may enter a prompt: it cannot open or close a tag (<参考材料>), draw a
    separator or start an example (标题：/正文：) — whatever it says, it stays material."""
    text = text.replace("<", "〈").replace(">", "〉")
    text = re.sub(r"={3,}", "——", text)
    return re.sub(r"(?m)^(\s*)(标题|正文)[：:]", r"\1\2∶", text)


def search_dirs(prompts_dir: Path | None = None) -> list[Path]:
    if prompts_dir is not None:
        return [prompts_dir]
    package = Path(__file__).resolve().parent.parent  # drafter/
    dirs = [Path.cwd() / "prompts", package / "prompts", package.parent / "prompts"]
    unique: list[Path] = []
    for d in dirs:
        if d not in unique:
            unique.append(d)
    return unique


def find_prompt(name: str, prompts_dir: Path | None = None) -> Path:
    if not _NAME.match(name):
        raise PromptError(f"prompt name {name!r} is not valid (lowercase letters, digits and _ only)")
    dirs = search_dirs(prompts_dir)
    for d in dirs:
        path = d / f"{name}.md"
        if path.is_file():
            return path
    raise PromptError(f"no prompt named {name!r}: looked for {name}.md in {', '.join(str(d) for d in dirs)}")


def load_prompt(name: str, prompts_dir: Path | None = None) -> Prompt:
    return parse_prompt(find_prompt(name, prompts_dir))


def parse_prompt(path: Path) -> Prompt:
    """Read and check one prompt file; every problem is a PromptError naming the file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise PromptError(f"cannot read prompt {path}: {e}") from e
    meta, body = _split_front_matter(raw, path)
    unknown = set(meta) - _KNOWN_KEYS
    if unknown:
        raise PromptError(f"prompt {path}: unknown front-matter key {sorted(unknown)[0]!r} (known: {', '.join(sorted(_KNOWN_KEYS))})")
    name = str(meta.get("name") or path.stem)
    if name != path.stem:
        raise PromptError(f"prompt {path}: front matter says name {name!r}, the file is {path.stem}.md")
    mode = meta.get("mode", "chat")
    if mode not in ("chat", "completion"):
        raise PromptError(f"prompt {path}: mode must be chat or completion, not {mode!r}")
    stop = meta.get("stop") or []
    if isinstance(stop, str):
        stop = [stop]
    if not isinstance(stop, list) or not all(isinstance(s, str) and s for s in stop):
        raise PromptError(f"prompt {path}: stop must be a list of non-empty strings")
    declared = meta.get("variables") or []
    if not isinstance(declared, list) or not all(isinstance(v, str) for v in declared):
        raise PromptError(f"prompt {path}: variables must be a list of names")

    parts = _split_roles(body, mode, path)
    used: list[str] = []
    for _, text in parts:
        template = string.Template(text)
        if not template.is_valid():
            line = _bad_placeholder_line(text)
            raise PromptError(f"prompt {path}: a '$' that is not ${{name}} near {line!r} (write $$ for a dollar sign)")
        used += [v for v in template.get_identifiers() if v not in used]
    if set(used) != set(declared):
        undeclared = sorted(set(used) - set(declared))
        unused = sorted(set(declared) - set(used))
        what = f"uses undeclared ${{{undeclared[0]}}}" if undeclared else f"declares ${{{unused[0]}}} but never uses it"
        raise PromptError(f"prompt {path} {what}: keep `variables:` and the body in step")
    return Prompt(
        name=name,
        path=path,
        mode=mode,
        description=str(meta.get("description", "")),
        variables=tuple(declared),
        stop=tuple(stop),
        temperature=_opt_number(meta, "temperature", float, path),
        max_tokens=_opt_number(meta, "max_tokens", int, path),
        separator=str(meta.get("separator", "\n\n")),
        parts=parts,
    )


def _split_front_matter(raw: str, path: Path) -> tuple[dict, str]:
    raw = raw.lstrip("\ufeff")
    if not raw.startswith("---"):
        raise PromptError(f"prompt {path} has no front matter (it must start with a line '---')")
    lines = raw.splitlines(keepends=True)
    for i in range(1, len(lines)):
        if lines[i].rstrip() == "---":
            try:
                meta = yaml.safe_load("".join(lines[1:i])) or {}
            except yaml.YAMLError as e:
                raise PromptError(f"prompt {path}: front matter is not valid YAML ({' '.join(str(e).split())})") from e
            if not isinstance(meta, dict):
                raise PromptError(f"prompt {path}: front matter must be a mapping of keys")
            return meta, "".join(lines[i + 1 :])
    raise PromptError(f"prompt {path}: front matter is not closed by a line '---'")


def _split_roles(body: str, mode: str, path: Path) -> tuple[tuple[str, str], ...]:
    marks = list(_ROLE_LINE.finditer(body))
    if mode == "completion":
        if marks:
            raise PromptError(f"prompt {path}: a completion prompt has no [[{marks[0].group(1)}]] sections")
        return (("prompt", body.lstrip("\n")),)
    if not marks:
        return (("user", body),)
    if body[: marks[0].start()].strip():
        raise PromptError(f"prompt {path}: text before the first [[role]] line")
    parts = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(body)
        parts.append((m.group(1), body[m.end() : end]))
    return tuple(parts)


def _bad_placeholder_line(text: str) -> str:
    for line in text.splitlines():
        if "$" in line and not string.Template(line).is_valid():
            return line.strip()[:60]
    return ""


def _opt_number(meta: dict, key: str, kind: type, path: Path):
    if meta.get(key) is None:
        return None
    try:
        return kind(meta[key])
    except (TypeError, ValueError):
        raise PromptError(f"prompt {path}: {key} must be a number, got {meta[key]!r}") from None
