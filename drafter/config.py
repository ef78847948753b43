"""Settings: defaults, then ``drafter.toml``, then ``DRAFTER_*`` environment variables, then flags.

``drafter.toml`` is looked for in the project directory (the working directory), then in
``DRAFTER_HOME``. Its tables mirror the dataclasses below::

    [index]
    chroma_url = "http://127.0.0.1:8000"   # empty: embedded Chroma under the data dir

    [embed]
    threads = 1

An environment variable names the table and the key: ``DRAFTER_INDEX_CHROMA_URL``,
``DRAFTER_EMBED_THREADS``. API keys are never settings: a setting names the *variable*
that holds the key (``api_key_env``), and only that variable is read, at call time.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

from drafter.errors import ConfigError

CONFIG_FILE = "drafter.toml"


@dataclass(frozen=True)
class IndexSettings:
    chroma_url: str = ""  # empty: embedded Chroma in the data dir
    collection: str = "drafter"
    chunk_size: int = 320  # characters; sentences are never cut, so a chunk may run longer
    chunk_overlap: int = 0


@dataclass(frozen=True)
class EmbedSettings:
    provider: str = "e5"  # "e5" (in-process, bundled) or "openai" (any /v1/embeddings endpoint)
    # ("hashing" exists for tests and scale benchmarks: fast, deterministic, meaningless)
    threads: int = 2
    base_url: str = ""
    model: str = ""
    api_key_env: str = ""
    batch_size: int = 32


@dataclass(frozen=True)
class SearchSettings:
    k: int = 5
    candidates: int = 50  # per ranking, before fusion
    rrf_k: int = 60


@dataclass(frozen=True)
class LLMSettings:
    """The chat model. ``base_url`` empty: drafter starts its bundled local model and serves it."""

    base_url: str = ""  # an OpenAI-compatible endpoint, e.g. https://api.deepseek.com/v1
    model: str = ""  # empty with the local model: the bundled one
    api_key_env: str = ""  # the NAME of the variable holding the key (the key is never a setting)
    temperature: float = 0.3
    max_tokens: int = 1024
    timeout: float = 180.0  # seconds without a byte from the server; a CPU model reads long prompts slowly
    max_retries: int = 2  # the SDK's own retries (429, 5xx, connection errors)
    draft_model: str = ""  # per-stage overrides of `model`; empty: use `model`
    outline_model: str = ""
    repair_model: str = ""
    context_size: int = 4096  # local model only
    threads: int = 0  # local model only; 0: half the cores (1 to 4), steadier when other work runs
    local_gguf: Path | None = None  # serve this GGUF instead of the bundled model (no sha check)
    repair_rounds: int = 1
    # The prompt file a section is drafted with: section_chat for instruction models;
    # section_completion (mode: completion) continues same-type examples, for base models.
    draft_prompt: str = "section_chat"


@dataclass(frozen=True)
class Settings:
    project_dir: Path = field(default_factory=Path.cwd)
    home: Path | None = None  # DRAFTER_HOME; defaults to <project>/.drafter
    corpus_dir: Path | None = None  # defaults to <project>/corpus
    index: IndexSettings = field(default_factory=IndexSettings)
    embed: EmbedSettings = field(default_factory=EmbedSettings)
    search: SearchSettings = field(default_factory=SearchSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)

    @property
    def data_dir(self) -> Path:
        return self.home if self.home is not None else self.project_dir / ".drafter"

    @property
    def corpus_path(self) -> Path:
        if self.corpus_dir is None:
            return self.project_dir / "corpus"
        return self.corpus_dir if self.corpus_dir.is_absolute() else self.project_dir / self.corpus_dir


def load_settings(
    project_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build Settings from the four layers. ``overrides`` are flags: ``{"index.chroma_url": "…"}``;
    a value of None means the flag was not given."""
    env = os.environ if env is None else env
    project_dir = (project_dir or Path.cwd()).resolve()
    home = Path(env["DRAFTER_HOME"]).expanduser().resolve() if env.get("DRAFTER_HOME") else None
    settings = Settings(project_dir=project_dir, home=home)

    for candidate in (project_dir / CONFIG_FILE, (home / CONFIG_FILE) if home else None):
        if candidate is not None and candidate.is_file():
            settings = _apply(settings, _read_toml(candidate), source=str(candidate))
            break

    env_values: dict[str, Any] = {}
    for table in _tables(settings):
        for f in fields(getattr(settings, table)):
            name = f"DRAFTER_{table}_{f.name}".upper()
            if name in env:
                env_values.setdefault(table, {})[f.name] = env[name]
    if "DRAFTER_CORPUS" in env:
        env_values["corpus_dir"] = env["DRAFTER_CORPUS"]
    if env.get("DRAFTER_LOCAL_GGUF"):  # the short name the docs use; DRAFTER_LLM_LOCAL_GGUF works too
        env_values.setdefault("llm", {})["local_gguf"] = env["DRAFTER_LOCAL_GGUF"]
    settings = _apply(settings, env_values, source="environment")

    nested: dict[str, Any] = {}
    for dotted, value in (overrides or {}).items():
        if value is None:
            continue
        table, _, key = dotted.partition(".")
        if key:
            nested.setdefault(table, {})[key] = value
        else:
            nested[table] = value
    settings = _apply(settings, nested, source="command-line flags")
    _check_key_variables(settings)
    return settings


_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _check_key_variables(settings: Settings) -> None:
    """api_key_env names a variable. A key pasted there by mistake must not travel on into
    messages and logs: refuse it without repeating it."""
    for table in ("llm", "embed"):
        value = getattr(getattr(settings, table), "api_key_env", "")
        if value and not _VARIABLE_NAME.fullmatch(value):
            raise ConfigError(
                f"{table}.api_key_env must be the NAME of an environment variable (letters, digits, _), "
                "such as DEEPSEEK_API_KEY, never the key itself"
            )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: {e}") from e
    except OSError as e:
        raise ConfigError(f"{path}: cannot read ({e.strerror})") from e


def _tables(settings: Settings) -> list[str]:
    return [f.name for f in fields(settings) if dataclasses.is_dataclass(getattr(settings, f.name))]


def _apply(settings: Settings, values: Mapping[str, Any], source: str) -> Settings:
    changes: dict[str, Any] = {}
    hints = typing.get_type_hints(Settings)
    for key, value in values.items():
        if key not in hints:
            raise ConfigError(f"{source}: unknown setting '{key}' (known: {', '.join(sorted(hints))})")
        current = getattr(settings, key)
        if dataclasses.is_dataclass(current):
            if not isinstance(value, Mapping):
                raise ConfigError(f"{source}: '{key}' must be a table of settings")
            changes[key] = _apply_table(current, key, value, source)
        else:
            changes[key] = _coerce(value, hints[key], key, source)
    return replace(settings, **changes) if changes else settings


def _apply_table(table: Any, table_name: str, values: Mapping[str, Any], source: str) -> Any:
    hints = typing.get_type_hints(type(table))
    changes = {}
    for key, value in values.items():
        if key not in hints:
            known = ", ".join(sorted(hints))
            raise ConfigError(f"{source}: unknown setting '{table_name}.{key}' (known: {known})")
        changes[key] = _coerce(value, hints[key], f"{table_name}.{key}", source)
    return replace(table, **changes)


def _coerce(value: Any, hint: Any, name: str, source: str) -> Any:
    """Turn a TOML or environment value into the field's type, or say what is wrong."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if value in ("", None):
            return None
        hint = args[0]
    try:
        if hint is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError(value)
        if hint is int:
            if isinstance(value, bool):
                raise ValueError(value)
            return int(value)
        if hint is float:
            return float(value)
        if hint is Path:
            return Path(str(value)).expanduser()
        if hint is str:
            return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{source}: '{name}' must be {hint.__name__}, got {value!r}") from None
    return value
