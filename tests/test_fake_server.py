"""The real OpenAIChatModel (SDK, httpx2, sockets) against the scripted fake server."""

from __future__ import annotations

import json
import socket

import pytest
from typer.testing import CliRunner

from drafter.cli import app
from drafter.config import LLMSettings, Settings
from drafter.llm.calls_log import CallsLog
from drafter.llm.client import (
    ChatRequest,
    LLMConnectionError,
    LLMStreamCut,
    LLMTimeoutError,
    Message,
    OpenAIChatModel,
    complete,
)
from drafter.llm.models import ping
from tests.fake_openai import FakeCut, FakeError, FakeHang, FakeOpenAI, FakeReply

KEY_ENV = "DRAFTER_FAKE_KEY"
KEY = "sk-fake-server-key-98765"


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY)


def model_at(fake: FakeOpenAI, tmp_path, **kw) -> OpenAIChatModel:
    options = dict(base_url=fake.base_url, model="fake-model", api_key_env=KEY_ENV, max_retries=1, timeout=5.0)
    options.update(kw)
    return OpenAIChatModel(**options, calls_log=CallsLog(tmp_path / "calls.jsonl"))


def ask(text: str = "写一句话。") -> ChatRequest:
    return ChatRequest(messages=(Message("user", text),), stage="draft", section="一", prompt_name="t")


def test_streamed_chat(fake, tmp_path):
    fake.enqueue("坚持以党建引领业务发展。")
    stream = model_at(fake, tmp_path).stream(ask())
    deltas = list(stream)
    assert len(deltas) > 1 and "".join(deltas) == "坚持以党建引领业务发展。"
    done = stream.completion
    assert done.finish_reason == "stop" and done.output_tokens == 12 and done.input_tokens == 11
    [req] = fake.history
    assert req.path == "/v1/chat/completions" and req.json["messages"] == [{"role": "user", "content": "写一句话。"}]
    assert req.headers["authorization"] == f"Bearer {KEY}"


def test_completion_mode(fake, tmp_path):
    fake.enqueue(FakeReply("全年共办理【待补】件。", usage=False))
    done = complete(model_at(fake, tmp_path), ChatRequest(mode="completion", prompt="正文：", stop=("\n======",)))
    assert done.text == "全年共办理【待补】件。" and done.output_tokens is None
    assert fake.history[0].path == "/v1/completions" and fake.history[0].json["stop"] == ["\n======"]


def test_fixed_latency_shows_in_the_completion(tmp_path):
    with FakeOpenAI(latency=0.3) as slow:
        slow.enqueue("好")
        done = complete(model_at(slow, tmp_path), ask())
    assert done.latency_s >= 0.3 and done.first_token_s >= 0.3


def test_rate_limit_then_success(fake, tmp_path):
    fake.enqueue(FakeError(429, "too many requests", (("retry-after-ms", "20"),)), "第二次成功")
    assert complete(model_at(fake, tmp_path), ask()).text == "第二次成功"
    assert len(fake.history) == 2


def test_connection_dropped_mid_stream_keeps_the_partial_text(fake, tmp_path):
    fake.enqueue(FakeCut("一是强化理论武装，二是", after_chunks=2, chunk_chars=3))
    with pytest.raises(LLMStreamCut) as info:
        complete(model_at(fake, tmp_path), ask())
    assert info.value.partial == "一是强化理论"
    [line] = CallsLog(tmp_path / "calls.jsonl").read()
    assert line.chars == 6 and line.error.startswith("LLMStreamCut")


def test_silent_server_times_out(fake, tmp_path):
    fake.enqueue(FakeHang(2.0))
    with pytest.raises(LLMTimeoutError, match=r"within 0.5 s"):
        complete(model_at(fake, tmp_path, timeout=0.5, max_retries=0), ask())


def test_nothing_listening(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    model = OpenAIChatModel(base_url=f"http://127.0.0.1:{port}/v1", model="m", max_retries=0, timeout=2)
    with pytest.raises(LLMConnectionError, match=rf"cannot connect to http://127.0.0.1:{port}/v1"):
        complete(model, ask())


def settings_for(fake: FakeOpenAI, tmp_path) -> Settings:
    return Settings(project_dir=tmp_path, llm=LLMSettings(base_url=fake.base_url, model="fake-model", api_key_env=KEY_ENV))


def test_ping(fake, tmp_path):
    fake.enqueue("收到")
    result = ping(settings_for(fake, tmp_path))
    assert result.ok and result.reply == "收到" and result.latency_s is not None and result.start_s is None
    assert fake.history[0].json["max_tokens"] <= 16


def test_ping_reports_the_error(fake, tmp_path):
    fake.enqueue(FakeError(404, "model not found"))
    result = ping(settings_for(fake, tmp_path))
    assert not result.ok and result.error.startswith("LLMModelNotFound: model 'fake-model' not found")


def cli_env(fake: FakeOpenAI) -> dict[str, str]:
    return {"DRAFTER_LLM_BASE_URL": fake.base_url, "DRAFTER_LLM_MODEL": "fake-model", "DRAFTER_LLM_API_KEY_ENV": KEY_ENV}


def test_models_command_shows_configuration_without_the_key(fake):
    result = CliRunner().invoke(app, ["models"], env=cli_env(fake))
    assert result.exit_code == 0, result.output
    assert fake.base_url in result.output and f"${KEY_ENV} (set)" in result.output and KEY not in result.output
    assert fake.history == []  # no call without --test


def test_models_test_json(fake):
    fake.enqueue("收到")
    result = CliRunner().invoke(app, ["models", "--test", "--json"], env=cli_env(fake))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["models"]["api_key_set"] is True and payload["models"]["api_key_env"] == KEY_ENV
    assert payload["test"]["ok"] is True and payload["test"]["reply"] == "收到"
    assert KEY not in result.output


def test_models_test_failure_exits_non_zero_with_the_error(fake):
    fake.enqueue(FakeError(401, f"bad key {KEY}"))
    result = CliRunner().invoke(app, ["models", "--test", "--json"], env=cli_env(fake))
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert payload["test"]["error"].startswith(f"LLMAuthError: {fake.base_url} refused the API key in ${KEY_ENV}")
    assert KEY not in result.output
