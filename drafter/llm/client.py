"""The chat-model seam. The only module that imports ``openai`` (lazily, inside calls).

    with open_llm(settings, calls_log=CallsLog(run_dir / "calls.jsonl")) as llm:
        model = llm.model("draft")
        stream = model.stream(prompt.render(...).request(stage="draft", section="一、"))
        for delta in stream:      # text deltas as they arrive
            show(delta)
        done = stream.completion  # text, finish_reason, tokens in/out, latency

Every failure is an ``LLMError`` subclass with a one-line message. A stream that breaks after
some text raises ``LLMStreamCut`` carrying that text, so a caller can keep it marked incomplete.
Retries are the SDK's (``max_retries``); nothing here loops. The API key is read from the
variable named by ``llm.api_key_env`` when a request is sent, and never stored, logged or shown.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generator, Iterator, Literal, Protocol
from urllib.parse import urlsplit, urlunsplit

from drafter.errors import ConfigError, LLMError
from drafter.llm import local_model
from drafter.llm.calls_log import CallRecord, CallsLog

if TYPE_CHECKING:
    import httpx2

    from drafter.config import LLMSettings, Settings

Mode = Literal["chat", "completion"]
NO_KEY = "sk-no-key-required"  # local servers want some bearer token, and ignore it


# --- errors ------------------------------------------------------------------------------------


class LLMConnectionError(LLMError):
    meaning = "the model endpoint could not be reached"


class LLMTimeoutError(LLMError):
    meaning = "the model endpoint did not answer in time"


class LLMAuthError(LLMError):
    meaning = "the model endpoint refused the API key"


class LLMModelNotFound(LLMError):
    meaning = "the endpoint does not serve the configured model"


class LLMRateLimited(LLMError):
    meaning = "the endpoint kept refusing with 429 (rate limit or quota)"


class LLMBadResponse(LLMError):
    meaning = "the endpoint answered with an error"


class LLMEmptyAnswer(LLMError):
    meaning = "the model returned no text"


class LLMStreamCut(LLMError):
    """The answer broke off. ``partial`` is the text received so far, to keep marked incomplete."""

    meaning = "the answer broke off before it was finished"

    def __init__(self, message: str, partial: str) -> None:
        super().__init__(message)
        self.partial = partial


# --- requests and results ----------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class ChatRequest:
    """One call. ``mode="chat"`` sends ``messages``; ``mode="completion"`` sends ``prompt`` (base
    models). ``stage``/``section``/``prompt_name`` only label the call in calls.jsonl."""

    mode: Mode = "chat"
    messages: tuple[Message, ...] = ()
    prompt: str = ""
    stop: tuple[str, ...] = ()
    temperature: float | None = None  # None: the setting
    max_tokens: int | None = None  # None: the setting
    stage: str = "draft"
    section: str = ""
    prompt_name: str = ""

    @property
    def sha256(self) -> str:
        return prompt_sha256(self.mode, self.messages, self.prompt, self.stop)


def prompt_sha256(mode: str, messages: tuple[Message, ...], prompt: str, stop: tuple[str, ...]) -> str:
    """The hash logged with every call: of what the model was sent, nothing else."""
    payload = {"mode": mode, "messages": [[m.role, m.content] for m in messages], "prompt": prompt, "stop": list(stop)}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Completion:
    text: str
    finish_reason: str  # "stop", "length" (cut by max_tokens), or what the server said
    model: str
    input_tokens: int | None = None  # None: the server did not report usage
    output_tokens: int | None = None
    latency_s: float = 0.0  # from sending the request to the last byte
    first_token_s: float | None = None
    # What a llama.cpp server reports of its work (None elsewhere): prompt tokens served from its
    # cache, and seconds spent reading the prompt (prefill) and writing the answer (decode).
    cached_tokens: int | None = None
    prefill_s: float | None = None
    decode_s: float | None = None

    @property
    def truncated(self) -> bool:
        return self.finish_reason == "length"


class ChatStream:
    """Iterate for text deltas; ``completion`` is set once the iteration has finished.
    ``partial`` is the text so far, at any moment (e.g. after a Ctrl-C)."""

    def __init__(self, deltas: Generator[str, None, Completion]) -> None:
        self._deltas = deltas
        self._parts: list[str] = []
        self._completion: Completion | None = None

    @classmethod
    def of_text(cls, text: str, model: str = "fake", finish_reason: str = "stop") -> ChatStream:
        """A ready-made stream, for fakes in tests."""

        def gen() -> Generator[str, None, Completion]:
            if text:
                yield text
            return Completion(text=text, finish_reason=finish_reason, model=model)

        return cls(gen())

    def __iter__(self) -> ChatStream:
        return self

    def __next__(self) -> str:
        try:
            delta = next(self._deltas)
        except StopIteration as done:
            self._completion = done.value
            raise
        self._parts.append(delta)
        return delta

    @property
    def partial(self) -> str:
        return "".join(self._parts)

    @property
    def done(self) -> bool:
        return self._completion is not None

    @property
    def completion(self) -> Completion:
        if self._completion is None:
            raise RuntimeError("the stream has not finished: iterate it to the end first")
        return self._completion

    def finish(self) -> Completion:
        """Drain the rest of the stream and return the result."""
        for _ in self:
            pass
        return self.completion

    def close(self) -> None:
        """Stop early: the HTTP response is closed and the call logged as cancelled."""
        self._deltas.close()


class ChatModel(Protocol):
    """What the drafting engine needs from a model."""

    @property
    def name(self) -> str: ...

    def stream(self, request: ChatRequest) -> ChatStream: ...


def complete(model: ChatModel, request: ChatRequest) -> Completion:
    """The whole answer at once."""
    return model.stream(request).finish()


# --- the OpenAI-compatible adapter -------------------------------------------------------------


class OpenAIChatModel:
    """Any OpenAI-compatible endpoint: DeepSeek, Qwen, GLM, Kimi, vLLM, Ollama, llama.cpp."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key_env: str = "",
        temperature: float = 0.3,
        max_tokens: int = 1024,
        timeout: float = 180.0,
        max_retries: int = 2,
        calls_log: CallsLog | None = None,
        http_client: httpx2.Client | None = None,
        extra_body: dict[str, Any] | None = None,
    ) -> None:
        self.base_url = base_url
        self.model = model
        self.api_key_env = api_key_env
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.timeout = timeout
        self.max_retries = max_retries
        self.calls_log = calls_log
        self._http_client = http_client
        self.extra_body = dict(extra_body or {})  # server-specific fields (llama.cpp sampling), sent as they are
        self._client = None  # openai.OpenAI, built on the first call

    def __repr__(self) -> str:
        return f"OpenAIChatModel(base_url={self.base_url!r}, model={self.model!r}, api_key_env={self.api_key_env!r})"

    @property
    def name(self) -> str:
        return self.model

    def stream(self, request: ChatRequest) -> ChatStream:
        return ChatStream(self._run(request))

    # -- internals --

    def _api_key(self) -> str:
        """Called by the SDK for each request, so a key set or rotated later is picked up."""
        if not self.api_key_env:
            return NO_KEY
        return os.environ.get(self.api_key_env, "")

    def _openai(self):
        if self._client is None:
            import openai

            http_client = self._http_client
            if http_client is None and _is_loopback(self.base_url):
                # An office's HTTP_PROXY would otherwise carry 127.0.0.1 calls to the proxy.
                http_client = openai.DefaultHttpxClient(trust_env=False)
            self._client = openai.OpenAI(
                base_url=self.base_url,
                api_key=self._api_key,
                max_retries=self.max_retries,
                timeout=self.timeout,
                http_client=http_client,
            )
        return self._client

    def _run(self, request: ChatRequest) -> Generator[str, None, Completion]:
        import openai

        started = time.monotonic()
        parts: list[str] = []
        state = _StreamState()
        outcome: Completion | None = None
        error: BaseException | None = None
        try:
            if self.api_key_env and not os.environ.get(self.api_key_env):
                raise LLMAuthError(
                    f"the API key variable {self.api_key_env} is not set (llm.api_key_env names it; "
                    f"export {self.api_key_env}=… before running drafter)"
                )
            model = self.model
            response = self._open(request, model)
            with response:
                for chunk in response:
                    for delta in state.take(chunk, request.mode):
                        if not parts:
                            state.first_token_s = time.monotonic() - started
                        parts.append(delta)
                        yield delta
            text = "".join(parts)
            if state.finish_reason is None:
                raise LLMStreamCut(
                    f"the answer from {self._where()} ended without a finish reason after "
                    f"{len(text)} characters; the partial text is kept",
                    partial=text,
                )
            if not text.strip():
                raise LLMEmptyAnswer(
                    f"model {model!r} at {self._where()} returned an empty answer "
                    f"(finish_reason={state.finish_reason})"
                )
            outcome = Completion(
                text=text,
                finish_reason=state.finish_reason,
                model=state.model or model,
                input_tokens=state.input_tokens,
                output_tokens=state.output_tokens,
                latency_s=time.monotonic() - started,
                first_token_s=state.first_token_s,
                cached_tokens=state.cached_tokens,
                prefill_s=state.prefill_s,
                decode_s=state.decode_s,
            )
            return outcome
        except openai.OpenAIError as e:
            mapped = self._map_error(e, "".join(parts))
            error = mapped
            raise mapped from e
        except GeneratorExit:
            error = _Cancelled("cancelled by the caller")
            raise
        except BaseException as e:  # our own LLMErrors, KeyboardInterrupt: log them, pass them on
            error = e
            raise
        finally:
            self._log(request, started, state, "".join(parts), outcome, error)

    def _open(self, request: ChatRequest, model: str):
        import openai

        client = self._openai()
        temperature = self.temperature if request.temperature is None else request.temperature
        max_tokens = self.max_tokens if request.max_tokens is None else request.max_tokens
        stop = list(request.stop) if request.stop else openai.omit  # some servers reject "stop": null
        if request.mode == "completion":
            return client.completions.create(
                model=model,
                prompt=request.prompt,
                stream=True,
                stream_options={"include_usage": True},
                temperature=temperature,
                max_tokens=max_tokens,
                stop=stop,
                extra_body=self.extra_body or None,
            )
        return client.chat.completions.create(
            model=model,
            messages=[{"role": m.role, "content": m.content} for m in request.messages],
            stream=True,
            stream_options={"include_usage": True},
            temperature=temperature,
            max_tokens=max_tokens,
            stop=stop,
            extra_body=self.extra_body or None,
        )

    def _where(self) -> str:
        return redact_url(self.base_url)

    def _map_error(self, e: Exception, partial: str) -> LLMError:
        """One SDK error → one line the user can act on. The key never appears: see safe_message."""
        import openai

        where = self._where()
        if partial:
            reason = "timed out" if isinstance(e, openai.APITimeoutError) else safe_message(_sdk_message(e), self._api_key())
            return LLMStreamCut(
                f"the answer from {where} broke off after {len(partial)} characters ({reason}); "
                "the partial text is kept",
                partial=partial,
            )
        if isinstance(e, openai.APITimeoutError):
            return LLMTimeoutError(
                f"no answer from {where} within {self.timeout:g} s (model {self.model!r}, "
                f"tried {self.max_retries + 1} times); raise llm.timeout for slow models"
            )
        if isinstance(e, openai.APIConnectionError):
            return LLMConnectionError(f"cannot connect to {where} (tried {self.max_retries + 1} times): {_cause(e)}")
        if isinstance(e, (openai.AuthenticationError, openai.PermissionDeniedError)):
            status = getattr(e, "status_code", "")
            if not self.api_key_env:
                return LLMAuthError(
                    f"{where} refused the request (HTTP {status}): no API key is configured; set "
                    "llm.api_key_env to the NAME of the variable holding the key"
                )
            return LLMAuthError(
                f"{where} refused the API key in ${self.api_key_env} (HTTP {status}): check the "
                "key and that it belongs to this endpoint"
            )
        if isinstance(e, openai.NotFoundError):
            return LLMModelNotFound(
                f"model {self.model!r} not found at {where} (HTTP 404: "
                f"{safe_message(_sdk_message(e), self._api_key())}); check llm.model and that base_url ends in /v1"
            )
        if isinstance(e, openai.RateLimitError):
            return LLMRateLimited(
                f"{where} still answered HTTP 429 after {self.max_retries + 1} tries: "
                f"{safe_message(_sdk_message(e), self._api_key())}"
            )
        if isinstance(e, openai.APIStatusError):
            return LLMBadResponse(
                f"{where} answered HTTP {e.status_code} for model {self.model!r}: "
                f"{safe_message(_sdk_message(e), self._api_key())}"
            )
        return LLMBadResponse(f"{where}: {safe_message(_sdk_message(e), self._api_key())}")

    def _log(
        self,
        request: ChatRequest,
        started: float,
        state: _StreamState,
        text: str,
        outcome: Completion | None,
        error: BaseException | None,
    ) -> None:
        if self.calls_log is None:
            return
        if error is None:
            error_text = ""
        elif isinstance(error, LLMError | _Cancelled):
            error_text = f"{type(error).__name__}: {error}"
        else:
            error_text = type(error).__name__  # e.g. KeyboardInterrupt; its text is not ours to log
        self.calls_log.append(
            CallRecord(
                stage=request.stage,
                section=request.section,
                prompt=request.prompt_name,
                prompt_sha256=request.sha256,
                mode=request.mode,
                base_url=self._where(),
                model=outcome.model if outcome else self.model,
                input_tokens=state.input_tokens,
                output_tokens=state.output_tokens,
                latency_s=round(time.monotonic() - started, 3),
                first_token_s=None if state.first_token_s is None else round(state.first_token_s, 3),
                finish_reason=state.finish_reason or "",
                chars=len(text),
                error=safe_message(error_text, self._api_key()),
                cached_tokens=state.cached_tokens,
                prefill_s=None if state.prefill_s is None else round(state.prefill_s, 3),
                decode_s=None if state.decode_s is None else round(state.decode_s, 3),
            )
        )


class _Cancelled(Exception):
    """Only a label for calls.jsonl: the caller closed the stream early."""


@dataclass
class _StreamState:
    """What the chunks told us so far (mutable on purpose: filled as the stream goes)."""

    finish_reason: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    model: str = ""
    first_token_s: float | None = None
    cached_tokens: int | None = None
    prefill_s: float | None = None
    decode_s: float | None = None

    def take(self, chunk, mode: Mode) -> list[str]:
        """Text deltas in one chunk; records finish reason, usage, model and (llama.cpp) timings."""
        if getattr(chunk, "model", None):
            self.model = chunk.model
        usage = getattr(chunk, "usage", None)
        if usage is not None:
            self.input_tokens = getattr(usage, "prompt_tokens", None)
            self.output_tokens = getattr(usage, "completion_tokens", None)
            details = getattr(usage, "prompt_tokens_details", None)
            if getattr(details, "cached_tokens", None) is not None:
                self.cached_tokens = details.cached_tokens
        timings = (getattr(chunk, "model_extra", None) or {}).get("timings")
        if isinstance(timings, dict):  # llama.cpp's server: what the prompt and the answer cost it
            self.cached_tokens = timings.get("cache_n", self.cached_tokens)
            if isinstance(timings.get("prompt_ms"), (int, float)):
                self.prefill_s = timings["prompt_ms"] / 1000
            if isinstance(timings.get("predicted_ms"), (int, float)):
                self.decode_s = timings["predicted_ms"] / 1000
        deltas = []
        for choice in getattr(chunk, "choices", None) or ():
            if getattr(choice, "index", 0) not in (0, None):
                continue
            if mode == "completion":
                text = getattr(choice, "text", None)
            else:
                delta = getattr(choice, "delta", None)
                text = getattr(delta, "content", None) if delta is not None else None
            if text:
                deltas.append(text)
            if getattr(choice, "finish_reason", None):
                self.finish_reason = choice.finish_reason
        return deltas


def _sdk_message(e: Exception) -> str:
    """The server's own error message when it sent one, else the SDK's."""
    body = getattr(e, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return inner["message"]
        if isinstance(body.get("message"), str):
            return body["message"]
    return getattr(e, "message", None) or str(e)


def _cause(e: BaseException) -> str:
    """The innermost cause, e.g. 'Connection refused', rather than the SDK's 'Connection error.'."""
    inner: BaseException = e
    while inner.__cause__ is not None:
        inner = inner.__cause__
    text = str(inner) or type(inner).__name__
    return " ".join(text.split())[:200]


def safe_message(text: str, key: str) -> str:
    """One line, bounded, and never the key (servers sometimes echo what they were sent)."""
    if key and key != NO_KEY and len(key) >= 4:
        text = text.replace(key, "***")
    return " ".join(text.split())[:300]


def _is_loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "") in ("127.0.0.1", "localhost", "::1")


def redact_url(url: str) -> str:
    """A base_url fit to show and log: user:password@ removed."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit(parts._replace(netloc=netloc))
    return url


# --- choosing the model for a stage ------------------------------------------------------------


def model_for(llm: LLMSettings, stage: str) -> str:
    """The stage's own model if set (``draft_model`` …), else ``model``."""
    per_stage = {"draft": llm.draft_model, "outline": llm.outline_model, "repair": llm.repair_model}
    return per_stage.get(stage) or llm.model


@dataclass(frozen=True)
class LLMSession:
    """An endpoint ready for calls: remote, or the local server started for this session."""

    settings: LLMSettings
    base_url: str
    local: bool
    calls_log: CallsLog | None = None
    http_client: object | None = None  # an httpx2.Client, for tests

    def model(self, stage: str = "draft") -> OpenAIChatModel:
        s = self.settings
        name = model_for(s, stage)
        if self.local:
            name = name or local_model.MODEL_NAME
        return OpenAIChatModel(
            base_url=self.base_url,
            model=name,
            api_key_env="" if self.local else s.api_key_env,
            temperature=s.temperature,
            max_tokens=s.max_tokens,
            timeout=s.timeout,
            max_retries=s.max_retries,
            calls_log=self.calls_log,
            http_client=self.http_client,  # type: ignore[arg-type]
            extra_body=local_model.SAMPLING if self.local else None,
        )


@contextmanager
def open_llm(settings: Settings, calls_log: CallsLog | None = None) -> Iterator[LLMSession]:
    """The configured endpoint; with ``llm.base_url`` empty, the bundled model, started here and
    stopped when the block ends (also on error or Ctrl-C)."""
    llm = settings.llm
    if llm.base_url:
        if not llm.model and not (llm.draft_model and llm.outline_model and llm.repair_model):
            raise ConfigError(
                f"llm.model is not set for {redact_url(llm.base_url)} "
                "(set model in the [llm] table of drafter.toml, or DRAFTER_LLM_MODEL)"
            )
        yield LLMSession(settings=llm, base_url=llm.base_url, local=False, calls_log=calls_log)
        return
    with local_model.local_server(settings) as base_url:
        yield LLMSession(settings=llm, base_url=base_url, local=True, calls_log=calls_log)
