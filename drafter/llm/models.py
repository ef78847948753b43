"""`drafter models`: which endpoint and model each stage uses, and one tiny call to prove it answers."""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from drafter.config import Settings
from drafter.errors import DrafterError
from drafter.llm import local_model as lm
from drafter.llm.calls_log import CallsLog
from drafter.llm.client import complete, model_for, open_llm, redact_url
from drafter.llm.prompts import load_prompt


@dataclass(frozen=True)
class StageModel:
    stage: str
    model: str


@dataclass(frozen=True)
class LLMDescription:
    local: bool
    base_url: str  # "" for the local model (its port is only known once started)
    local_model: str  # the GGUF the local server would load; "" for a remote endpoint
    local_state: str  # ready | joined on first use | your own GGUF | not installed: … | missing: …
    local_threads: int  # 0 for a remote endpoint
    context_size: int
    api_key_env: str
    api_key_set: bool  # whether the variable is set; its value is never read here
    stages: tuple[StageModel, ...]
    temperature: float
    max_tokens: int
    timeout: float
    max_retries: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PingResult:
    ok: bool
    model: str
    reply: str
    latency_s: float | None  # of the call itself
    start_s: float | None  # starting the local server, when there is one
    input_tokens: int | None
    output_tokens: int | None
    error: str  # one line; empty when ok

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


STAGES = ("draft", "outline", "repair")


def describe_llm(settings: Settings) -> LLMDescription:
    llm = settings.llm
    local = not llm.base_url
    local_path, state = "", ""
    if local:
        if llm.local_gguf is not None:
            local_path = str(llm.local_gguf)
            state = "your own GGUF" if llm.local_gguf.expanduser().is_file() else "missing: the file does not exist"
        else:
            local_path = str(lm.bundled_model_path(settings.data_dir))
            if not lm.is_installed():
                state = f"not installed: run {lm.INSTALL_HINT}"
            elif Path(local_path).is_file():
                state = "ready"
            else:
                state = "joined from the installed parts on first use"
    names = tuple(StageModel(s, model_for(llm, s) or (_local_name() if local else "")) for s in STAGES)
    return LLMDescription(
        local=local,
        base_url=redact_url(llm.base_url),
        local_model=local_path,
        local_state=state,
        local_threads=lm.resolve_threads(llm.threads) if local else 0,
        context_size=llm.context_size,
        api_key_env="" if local else llm.api_key_env,
        api_key_set=bool(llm.api_key_env and os.environ.get(llm.api_key_env)) and not local,
        stages=names,
        temperature=llm.temperature,
        max_tokens=llm.max_tokens,
        timeout=llm.timeout,
        max_retries=llm.max_retries,
    )


def _local_name() -> str:
    return lm.MODEL_NAME


def ping(settings: Settings, stage: str = "draft", calls_log: CallsLog | None = None) -> PingResult:
    """One tiny call (prompts/models_test.md). Failures come back in ``error``, not raised."""
    model_name = model_for(settings.llm, stage)
    started = time.monotonic()
    start_s: float | None = None
    try:
        request = load_prompt("models_test").render().request(stage="test")
        with open_llm(settings, calls_log=calls_log) as session:
            if session.local:
                start_s = time.monotonic() - started
            model = session.model(stage)
            model_name = model.name
            done = complete(model, request)
    except DrafterError as e:
        return PingResult(False, model_name, "", None, start_s, None, None, f"{type(e).__name__}: {e}")
    return PingResult(
        True, done.model, done.text.strip(), round(done.latency_s, 3),
        None if start_s is None else round(start_s, 2), done.input_tokens, done.output_tokens, "",
    )  # fmt: skip
