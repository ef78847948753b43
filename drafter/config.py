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

A misspelt name is never silently ignored. An unknown key in drafter.toml is an error naming the
nearest valid key: the file is drafter's own, and a key that takes no effect would run drafter
with a setting other than the one written down (the local model instead of the office's endpoint,
another embedder). An unknown ``DRAFTER_*`` variable is a warning naming the nearest valid
variable (``DRAFTER_BASE_URL`` → ``DRAFTER_LLM_BASE_URL``): the environment is shared with other
shells, tools and versions, and a stale variable should not stop every command.
"""

from __future__ import annotations

import dataclasses
import difflib
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

# DRAFTER_* variables that are not <TABLE>_<KEY> settings. A new one must be added here, or every
# command warns that it is unknown.
OTHER_VARIABLES = {
    "DRAFTER_HOME": "the data dir (index, caches, runs) and a second place for drafter.toml",
    "DRAFTER_CORPUS": "the corpus folder",
    "DRAFTER_LOCAL_GGUF": "serve this GGUF instead of the bundled model (= DRAFTER_LLM_LOCAL_GGUF)",
    "DRAFTER_DEBUG": "show tracebacks",
    "DRAFTER_FORMULAS": "a file of the office's own fixed formulas (numbers/formulas.py)",
}


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
    # Local model only: characters of reference passages a section's prompt carries (0: as many as
    # fit the context). A CPU reads ~20 prompt tokens a second; passages are what changes from one
    # section's prompt to the next, so they set the wait before the first word (evals/bench_local.py).
    local_passage_chars: int = 300
    threads: int = 0  # local model only; 0: the cores nothing else is using when the server starts
    local_gguf: Path | None = None  # serve this GGUF instead of the bundled model (no sha check)
    repair_rounds: int = 1
    # The bundled 1.5B model's repairs were rejected (it echoes the repair prompt, or rewrites the
    # section) and cost as long as the section itself: its unsupported numbers are marked instead.
    local_repair_rounds: int = 0
    # The prompt file a section is drafted with: section_chat for instruction models;
    # section_completion (mode: completion) continues same-type examples, for base models.
    draft_prompt: str = "section_chat"

    def repair_rounds_for(self, local: bool) -> int:
        return self.local_repair_rounds if local else self.repair_rounds


@dataclass(frozen=True)
class Settings:
    project_dir: Path = field(default_factory=Path.cwd)
    home: Path | None = None  # DRAFTER_HOME; defaults to <project>/.drafter
    corpus_dir: Path | None = None  # defaults to <project>/corpus
    index: IndexSettings = field(default_factory=IndexSettings)
    embed: EmbedSettings = field(default_factory=EmbedSettings)
    search: SearchSettings = field(default_factory=SearchSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)
    # What the user should hear about the settings (unknown DRAFTER_* variables); the CLI prints them.
    warnings: tuple[str, ...] = field(default=(), compare=False)

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
    return replace(settings, warnings=tuple(unknown_variables(env, settings)))


def known_variables(settings: Settings) -> set[str]:
    names = set(OTHER_VARIABLES)
    for table in _tables(settings):
        names.update(f"DRAFTER_{table}_{f.name}".upper() for f in fields(getattr(settings, table)))
    return names


def unknown_variables(env: Mapping[str, str], settings: Settings) -> list[str]:
    """A warning for each DRAFTER_* variable drafter does not read, naming the nearest one it does.
    Variables named by an api_key_env setting hold keys, and are known."""
    known = known_variables(settings)
    keys = {settings.llm.api_key_env, settings.embed.api_key_env}
    warnings = []
    for name in sorted(n for n in env if n.startswith("DRAFTER_") and n not in known and n not in keys):
        close = _closest(name.removeprefix("DRAFTER_"), [k.removeprefix("DRAFTER_") for k in known])
        hint = f"; did you mean {' or '.join('DRAFTER_' + c for c in close)}?" if close else ""
        if name.endswith("KEY"):  # never steer a key into a setting: say where keys come from
            hint = ("; drafter reads an API key only from the variable that llm.api_key_env "
                    "(DRAFTER_LLM_API_KEY_ENV) names, e.g. DRAFTER_LLM_API_KEY_ENV=DEEPSEEK_API_KEY")
        warnings.append(f"${name} is not a drafter setting and is ignored{hint}")
    return warnings


def _closest(word: str, candidates: list[str], cutoff: float = 0.6) -> list[str]:
    """The nearest candidate, and a second one when it is about as near (BASE_URL: LLM_ or EMBED_)."""
    scored = sorted(((difflib.SequenceMatcher(None, word, c).ratio(), c) for c in candidates), reverse=True)
    scored = [(r, c) for r, c in scored if r >= cutoff]
    return [c for r, c in scored[:2] if r >= scored[0][0] - 0.1] if scored else []


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
    hints = {k: v for k, v in typing.get_type_hints(Settings).items() if k != "warnings"}
    for key, value in values.items():
        if key not in hints:
            raise ConfigError(f"{source}: unknown setting '{key}'{_nearest(key, settings)} "
                              f"(known: {', '.join(sorted(hints))})")
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
            raise ConfigError(f"{source}: unknown setting '{table_name}.{key}'{_nearest(f'{table_name}.{key}', None)} "
                              f"(known in [{table_name}]: {known})")
        changes[key] = _coerce(value, hints[key], f"{table_name}.{key}", source)
    return replace(table, **changes)


def _nearest(name: str, settings: Settings | None) -> str:
    """"; did you mean 'llm.base_url'?" for a misspelt key, looking in every table."""
    settings = settings or Settings()
    names = [f"{t}.{f.name}" for t in _tables(settings) for f in fields(getattr(settings, t))]
    names += [f.name for f in fields(settings) if f.name != "warnings"]
    bare = name.rpartition(".")[2]
    same_key = [n for n in names if n.endswith("." + bare) and n != name]  # the right key in the wrong table
    close = same_key[:1] or _closest(name, names)[:1]
    return f"; did you mean '{close[0]}'?" if close else ""


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
