"""OpenAIChatModel against the real SDK, mocked only at the transport (httpx2.MockTransport)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest

from drafter.config import LLMSettings, Settings, load_settings
from drafter.errors import ConfigError, LLMError
from drafter.llm.calls_log import CallRecord, CallsLog, speed_of
from drafter.llm.client import (
    ChatRequest,
    ChatStream,
    LLMAuthError,
    LLMBadResponse,
    LLMConnectionError,
    LLMEmptyAnswer,
    LLMModelNotFound,
    LLMRateLimited,
    LLMStreamCut,
    LLMTimeoutError,
    Message,
    OpenAIChatModel,
    complete,
    model_for,
    open_llm,
    redact_url,
)

BASE = "https://llm.example.test/v1"
KEY = "sk-test-5ecret-value-0123456789"
KEY_ENV = "DRAFTER_TEST_LLM_KEY"


def sse(*events: dict | str) -> bytes:
    lines = []
    for e in events:
        lines.append(f"data: {e if isinstance(e, str) else json.dumps(e, ensure_ascii=False)}\n\n")
    return "".join(lines).encode()


def chat_chunk(text: str | None = None, finish: str | None = None, model: str = "deepseek-chat") -> dict:
    delta = {"content": text} if text is not None else {}
    return {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}  # fmt: skip


def usage_chunk(prompt: int = 42, completion: int = 7) -> dict:
    return {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "deepseek-chat", "choices": [],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}}  # fmt: skip


def stream_response(body, status: int = 200) -> httpx2.Response:
    """An SSE answer; ``body`` is bytes, or an iterator of bytes that may raise mid-way."""
    return httpx2.Response(status, headers={"content-type": "text/event-stream"}, content=body)


def error_response(status: int, message: str, headers: dict | None = None) -> httpx2.Response:
    return httpx2.Response(status, headers=headers or {}, json={"error": {"message": message, "type": "x"}})


class Recorder:
    """A MockTransport handler that answers from a script and keeps what it was sent."""

    def __init__(self, *answers) -> None:
        self.answers = list(answers)
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer

    def body(self, n: int = 0) -> dict:
        return json.loads(self.requests[n].content)


def make_model(handler, tmp_path: Path, **kw) -> OpenAIChatModel:
    options = dict(base_url=BASE, model="deepseek-chat", api_key_env=KEY_ENV, max_retries=2, timeout=5.0)
    options.update(kw)
    return OpenAIChatModel(
        **options,
        calls_log=CallsLog(tmp_path / "calls.jsonl"),
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
    )


def chat_request(**kw) -> ChatRequest:
    base = dict(messages=(Message("system", "你是起草人员。"), Message("user", "写一段。")),
                stage="draft", section="一、主要工作", prompt_name="section_chat")  # fmt: skip
    base.update(kw)
    return ChatRequest(**base)


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY)


def everything_written(tmp_path: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*") if p.is_file())


# --- streaming ------------------------------------------------------------------------------


def test_stream_yields_deltas_and_a_completion_with_usage(tmp_path):
    rec = Recorder(stream_response(sse(
        chat_chunk("一是"), chat_chunk("抓党建，"), chat_chunk("二是促发展。"), chat_chunk(finish="stop"),
        usage_chunk(42, 7), "[DONE]",
    )))  # fmt: skip
    model = make_model(rec, tmp_path)
    stream = model.stream(chat_request(stop=("【完】",), temperature=0.2, max_tokens=300))
    deltas = list(stream)
    assert deltas == ["一是", "抓党建，", "二是促发展。"]
    done = stream.completion
    assert done.text == "一是抓党建，二是促发展。"
    assert (done.finish_reason, done.input_tokens, done.output_tokens) == ("stop", 42, 7)
    assert done.model == "deepseek-chat" and done.latency_s > 0 and done.first_token_s is not None
    assert not done.truncated

    sent = rec.body()
    assert rec.requests[0].url.path == "/v1/chat/completions"
    assert sent["model"] == "deepseek-chat" and sent["stream"] is True
    assert sent["stream_options"] == {"include_usage": True}
    assert sent["messages"] == [{"role": "system", "content": "你是起草人员。"}, {"role": "user", "content": "写一段。"}]
    assert sent["stop"] == ["【完】"] and sent["temperature"] == 0.2 and sent["max_tokens"] == 300
    assert rec.requests[0].headers["authorization"] == f"Bearer {KEY}"


def test_settings_fill_in_temperature_and_max_tokens(tmp_path):
    rec = Recorder(stream_response(sse(chat_chunk("好"), chat_chunk(finish="stop"), "[DONE]")))
    complete(make_model(rec, tmp_path, temperature=0.7, max_tokens=99), chat_request())
    sent = rec.body()
    assert sent["temperature"] == 0.7 and sent["max_tokens"] == 99 and "stop" not in sent


def test_completion_mode_uses_the_completions_endpoint(tmp_path):
    def chunk(text, finish=None):
        return {"id": "x", "object": "text_completion", "created": 0, "model": "gemma",
                "choices": [{"index": 0, "text": text, "finish_reason": finish}]}  # fmt: skip

    rec = Recorder(stream_response(sse(chunk("全年"), chunk("共办理【待补】件。"), chunk("", "stop"), "[DONE]")))
    done = complete(make_model(rec, tmp_path), ChatRequest(mode="completion", prompt="标题：一\n正文：", stop=("\n======",)))
    assert done.text == "全年共办理【待补】件。"
    assert done.input_tokens is None  # this server reported no usage
    assert rec.requests[0].url.path == "/v1/completions"
    assert rec.body()["prompt"] == "标题：一\n正文：" and rec.body()["stop"] == ["\n======"]


def test_length_finish_is_reported_not_raised(tmp_path):
    rec = Recorder(stream_response(sse(chat_chunk("写到一半"), chat_chunk(finish="length"), "[DONE]")))
    done = complete(make_model(rec, tmp_path), chat_request())
    assert done.truncated and done.text == "写到一半"


def test_api_key_is_read_when_the_call_is_made(tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV)
    rec = Recorder(stream_response(sse(chat_chunk("好"), chat_chunk(finish="stop"), "[DONE]")))
    model = make_model(rec, tmp_path)
    monkeypatch.setenv(KEY_ENV, "sk-set-later-0000")
    complete(model, chat_request())
    assert rec.requests[0].headers["authorization"] == "Bearer sk-set-later-0000"


# --- retries and errors ---------------------------------------------------------------------


def test_429_then_success_is_retried_by_the_sdk(tmp_path):
    rec = Recorder(
        error_response(429, "rate limited", {"retry-after-ms": "10"}),
        stream_response(sse(chat_chunk("成功"), chat_chunk(finish="stop"), "[DONE]")),
    )
    done = complete(make_model(rec, tmp_path), chat_request())
    assert done.text == "成功" and len(rec.requests) == 2
    [line] = CallsLog(tmp_path / "calls.jsonl").read()
    assert line.error == "" and line.finish_reason == "stop"


def test_429_every_time_gives_a_rate_limit_error(tmp_path):
    rec = Recorder(*[error_response(429, "quota exceeded", {"retry-after-ms": "5"}) for _ in range(3)])
    with pytest.raises(LLMRateLimited, match=r"HTTP 429 after 3 tries: quota exceeded"):
        complete(make_model(rec, tmp_path), chat_request())
    assert len(rec.requests) == 3


def test_timeout_names_the_endpoint_and_the_limit(tmp_path):
    rec = Recorder(httpx2.ReadTimeout("read timed out"))
    with pytest.raises(LLMTimeoutError) as info:
        complete(make_model(rec, tmp_path, max_retries=0, timeout=7), chat_request())
    assert str(info.value).startswith(f"no answer from {BASE} within 7 s (model 'deepseek-chat'")


def test_connection_error_names_the_base_url(tmp_path):
    rec = Recorder(httpx2.ConnectError("[Errno 111] Connection refused"))
    with pytest.raises(LLMConnectionError) as info:
        complete(make_model(rec, tmp_path, max_retries=0), chat_request())
    assert str(info.value) == f"cannot connect to {BASE} (tried 1 times): [Errno 111] Connection refused"


def test_stream_cut_midway_keeps_the_partial_text(tmp_path):
    def body():
        yield sse(chat_chunk("一是强化"))
        yield sse(chat_chunk("理论武装，"))
        raise httpx2.RemoteProtocolError("peer closed connection without sending complete message body")

    rec = Recorder(stream_response(body()))
    stream = make_model(rec, tmp_path).stream(chat_request())
    seen = []
    with pytest.raises(LLMStreamCut) as info:
        for delta in stream:
            seen.append(delta)
    assert info.value.partial == "一是强化理论武装，" == "".join(seen) == stream.partial
    assert "broke off after 9 characters" in str(info.value) and BASE in str(info.value)
    assert isinstance(info.value, LLMError)
    [line] = CallsLog(tmp_path / "calls.jsonl").read()
    assert line.error.startswith("LLMStreamCut:") and line.chars == 9 and line.finish_reason == ""


def test_stream_that_ends_without_a_finish_reason_is_a_cut(tmp_path):
    rec = Recorder(stream_response(sse(chat_chunk("只有半句"))))
    with pytest.raises(LLMStreamCut) as info:
        complete(make_model(rec, tmp_path), chat_request())
    assert info.value.partial == "只有半句"


def test_empty_answer_is_an_error(tmp_path):
    rec = Recorder(stream_response(sse(chat_chunk(""), chat_chunk("  \n"), chat_chunk(finish="stop"), "[DONE]")))
    with pytest.raises(LLMEmptyAnswer, match=r"model 'deepseek-chat' at .* returned an empty answer \(finish_reason=stop\)"):
        complete(make_model(rec, tmp_path), chat_request())


def test_401_names_the_variable_and_never_the_key(tmp_path):
    # A server that echoes the key back in its error text: it still must not reach us.
    rec = Recorder(error_response(401, f"Incorrect API key provided: {KEY}"))
    model = make_model(rec, tmp_path)
    with pytest.raises(LLMAuthError) as info:
        complete(model, chat_request())
    message = str(info.value)
    assert f"${KEY_ENV}" in message and "HTTP 401" in message
    assert KEY not in message and KEY not in repr(model) and KEY not in repr(info.value)
    assert KEY not in everything_written(tmp_path)
    [line] = CallsLog(tmp_path / "calls.jsonl").read()
    assert line.error.startswith("LLMAuthError:")
    assert "authorization" not in (tmp_path / "calls.jsonl").read_text().lower()


def test_missing_key_variable_fails_before_any_request(tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV)
    rec = Recorder()
    with pytest.raises(LLMAuthError, match=f"the API key variable {KEY_ENV} is not set"):
        complete(make_model(rec, tmp_path), chat_request())
    assert rec.requests == []


def test_401_without_a_key_variable_says_to_configure_one(tmp_path):
    rec = Recorder(error_response(401, "missing key"))
    with pytest.raises(LLMAuthError, match="no API key is configured; set llm.api_key_env"):
        complete(make_model(rec, tmp_path, api_key_env=""), chat_request())
    assert rec.requests[0].headers["authorization"] == "Bearer sk-no-key-required"


def test_404_names_the_model(tmp_path):
    rec = Recorder(error_response(404, "The model `deepseek-chatt` does not exist"))
    with pytest.raises(LLMModelNotFound) as info:
        complete(make_model(rec, tmp_path, model="deepseek-chatt"), chat_request())
    assert str(info.value).startswith(f"model 'deepseek-chatt' not found at {BASE} (HTTP 404: The model")


def test_server_error_after_retries_says_the_status(tmp_path):
    rec = Recorder(*[error_response(503, "overloaded", {"retry-after-ms": "5"}) for _ in range(2)])
    with pytest.raises(LLMBadResponse, match=r"answered HTTP 503 for model 'deepseek-chat': overloaded"):
        complete(make_model(rec, tmp_path, max_retries=1), chat_request())
    assert len(rec.requests) == 2


def test_400_context_too_long_is_one_line(tmp_path):
    rec = Recorder(error_response(400, "This model's maximum context length is 4096 tokens.\nYou sent 5000."))
    with pytest.raises(LLMBadResponse) as info:
        complete(make_model(rec, tmp_path), chat_request())
    assert "\n" not in str(info.value) and "maximum context length" in str(info.value)


# --- the calls log --------------------------------------------------------------------------


def test_calls_log_line_holds_labels_hash_tokens_and_timing(tmp_path):
    rec = Recorder(stream_response(sse(chat_chunk("好"), chat_chunk(finish="stop"), usage_chunk(10, 1), "[DONE]")))
    request = chat_request()
    complete(make_model(rec, tmp_path), request)
    raw = json.loads((tmp_path / "calls.jsonl").read_text(encoding="utf-8"))
    assert raw["stage"] == "draft" and raw["section"] == "一、主要工作" and raw["prompt"] == "section_chat"
    assert raw["prompt_sha256"] == request.sha256 and len(request.sha256) == 64
    assert (raw["input_tokens"], raw["output_tokens"], raw["finish_reason"]) == (10, 1, "stop")
    assert raw["model"] == "deepseek-chat" and raw["base_url"] == BASE and raw["latency_s"] >= 0
    assert raw["error"] == "" and raw["time"]
    assert "你是起草人员" not in json.dumps(raw, ensure_ascii=False)  # no prompt text in the log


def test_closing_a_stream_early_is_logged_as_cancelled(tmp_path):
    rec = Recorder(stream_response(sse(chat_chunk("一"), chat_chunk("二"), chat_chunk(finish="stop"), "[DONE]")))
    stream = make_model(rec, tmp_path).stream(chat_request())
    assert next(stream) == "一"
    stream.close()
    [line] = CallsLog(tmp_path / "calls.jsonl").read()
    assert line.error == "_Cancelled: cancelled by the caller" and line.chars == 1
    with pytest.raises(RuntimeError):
        stream.completion


def test_url_credentials_never_shown():
    assert redact_url("https://user:pw@host.example:8443/v1") == "https://host.example:8443/v1"
    assert redact_url(BASE) == BASE


# --- seams and settings ---------------------------------------------------------------------


def test_chat_stream_of_text_for_fakes():
    stream = ChatStream.of_text("一段话", model="fake")
    assert list(stream) == ["一段话"] and stream.completion.text == "一段话" and stream.done


def test_request_hash_changes_with_content():
    a = chat_request()
    assert a.sha256 == chat_request(section="二、").sha256  # labels are not content
    assert a.sha256 != chat_request(stop=("x",)).sha256


def test_per_stage_models():
    llm = LLMSettings(model="deepseek-chat", repair_model="deepseek-reasoner")
    assert model_for(llm, "draft") == "deepseek-chat"
    assert model_for(llm, "repair") == "deepseek-reasoner"


def test_llm_settings_from_environment(tmp_path):
    env = {
        "DRAFTER_LLM_BASE_URL": "https://api.deepseek.com/v1",
        "DRAFTER_LLM_MODEL": "deepseek-chat",
        "DRAFTER_LLM_API_KEY_ENV": "DEEPSEEK_API_KEY",
        "DRAFTER_LLM_TIMEOUT": "30",
        "DRAFTER_LLM_DRAFT_MODEL": "deepseek-reasoner",
        "DRAFTER_LOCAL_GGUF": "/models/x.gguf",
    }
    s = load_settings(project_dir=tmp_path, env=env).llm
    assert (s.base_url, s.model, s.api_key_env, s.timeout) == ("https://api.deepseek.com/v1", "deepseek-chat", "DEEPSEEK_API_KEY", 30.0)
    assert s.draft_model == "deepseek-reasoner" and s.local_gguf == Path("/models/x.gguf")


def test_llm_settings_from_toml(tmp_path):
    (tmp_path / "drafter.toml").write_text('[llm]\nbase_url = "http://127.0.0.1:8000/v1"\nmodel = "qwen"\nthreads = 1\n')
    s = load_settings(project_dir=tmp_path, env={}).llm
    assert (s.base_url, s.model, s.threads) == ("http://127.0.0.1:8000/v1", "qwen", 1)


def test_remote_endpoint_without_a_model_is_a_config_error(tmp_path):
    settings = Settings(project_dir=tmp_path, llm=LLMSettings(base_url=BASE))
    with pytest.raises(ConfigError, match="llm.model is not set"):
        with open_llm(settings):
            pass


def test_open_llm_remote_builds_stage_models(tmp_path):
    settings = Settings(project_dir=tmp_path, llm=LLMSettings(base_url=BASE, model="m", outline_model="big", api_key_env=KEY_ENV))
    with open_llm(settings) as session:
        assert not session.local
        assert session.model("outline").name == "big" and session.model("draft").name == "m"
        assert session.model().api_key_env == KEY_ENV


def test_help_does_not_import_openai():
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from drafter.cli import app\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "assert 'models' in r.output\n"
        "print('openai' in sys.modules, 'httpx2' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False False"


def _call(stage, section, latency, first=None, out=None, decode=None, inp=None, cached=None, prefill=None, error=""):
    return CallRecord(stage=stage, section=section, prompt="section_chat", prompt_sha256="", mode="chat",
                      base_url="", model="m", input_tokens=inp, output_tokens=out, latency_s=latency,
                      first_token_s=first, finish_reason="stop", chars=0, error=error, cached_tokens=cached,
                      prefill_s=prefill, decode_s=decode)


def test_a_runs_speed_is_per_section_with_its_repairs_and_skips_failed_calls():
    calls = [
        _call("draft", "01", 30.0, first=10.0, out=300, decode=20.0, inp=1000, cached=600, prefill=10.0),
        _call("repair", "01", 20.0, out=200, decode=20.0),
        _call("draft", "02", 40.0, first=12.0, out=450, decode=30.0, inp=1100, cached=0, prefill=11.0),
        _call("draft", "03", 99.0, error="LLMStreamCut: cut"),
        _call("outline", "", 500.0),
    ]
    speed = speed_of(calls)
    assert speed.sections == 2 and speed.seconds_a_section == 45.0  # (30+20) and 40
    assert speed.first_token_s == 11.0 and speed.tokens_per_s == 15.0  # 300/20, 200/20, 450/30
    assert speed.prompt_tokens_per_s == 70.0  # 400/10 and 1100/11
    assert "45 s a section" in speed.line() and "15.0 tokens/s" in speed.line()
    assert speed_of(calls[3:]) is None
