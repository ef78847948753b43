"""A scripted OpenAI-compatible server on 127.0.0.1, for tests that want a real socket.

    with FakeOpenAI() as fake:
        fake.enqueue("一是……二是……")             # the next request gets this answer
        fake.enqueue(FakeError(429, "slow down"))
        fake.enqueue(FakeCut("前半句", after_chunks=2))  # the connection drops mid-answer
        ... OpenAIChatModel(base_url=fake.base_url, ...)
        fake.history[0].json["messages"]

Serves POST /v1/chat/completions and /v1/completions, streamed (SSE, chunked) or not,
POST /v1/embeddings (deterministic vectors), and GET /v1/models. Each request takes the next scripted item; with none left it answers 500.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Union


@dataclass(frozen=True)
class FakeReply:
    text: str
    finish_reason: str = "stop"
    chunk_chars: int = 3  # characters per streamed chunk
    usage: bool = True  # send a usage chunk (when the client asked for it)
    model: str = ""  # empty: echo the requested model


@dataclass(frozen=True)
class FakeError:
    status: int
    message: str = "error"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FakeCut:
    """Stream ``after_chunks`` chunks of ``text``, then drop the connection mid-body."""

    text: str
    after_chunks: int = 2
    chunk_chars: int = 3


@dataclass(frozen=True)
class FakeHang:
    """Say nothing for ``seconds`` (longer than the client's timeout), then answer ``text``."""

    seconds: float
    text: str = "迟到的回答"


Scripted = Union[str, FakeReply, FakeError, FakeCut, FakeHang]


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    json: dict = field(default_factory=dict)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up (timeout tests) is expected, not news


class FakeOpenAI:
    def __init__(self, latency: float = 0.0, chunk_delay: float = 0.0, responder=None) -> None:
        self.latency = latency  # before the first byte of every answer
        # With the script empty, ``responder(request body) -> Scripted`` answers: for requests that
        # arrive in no fixed order (sections drafted in parallel), answer by what they ask.
        self.responder = responder
        self.chunk_delay = chunk_delay  # between streamed chunks
        self.history: list[ReceivedRequest] = []
        self._script: queue.Queue[Scripted] = queue.Queue()
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def enqueue(self, *items: Scripted) -> None:
        for item in items:
            self._script.put(item)

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def next_item(self, body: dict | None = None) -> Scripted | None:
        try:
            return self._script.get_nowait()
        except queue.Empty:
            return self.responder(body or {}) if self.responder else None


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            fake.history.append(ReceivedRequest("GET", self.path, self._headers()))
            if self.path.rstrip("/") == "/v1/models":
                self._json(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})
            else:
                self._json(404, {"error": {"message": f"no route {self.path}"}})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            fake.history.append(ReceivedRequest("POST", self.path, self._headers(), body))
            if self.path == "/v1/embeddings":
                self._embeddings(body)
                return
            kind = {"/v1/chat/completions": "chat", "/v1/completions": "completion"}.get(self.path)
            if kind is None:
                self._json(404, {"error": {"message": f"no route {self.path}"}})
                return
            item = fake.next_item(body)
            if fake.latency:
                time.sleep(fake.latency)
            if item is None:
                self._json(500, {"error": {"message": "fake server: nothing enqueued"}})
                return
            if isinstance(item, FakeError):
                self._json(item.status, {"error": {"message": item.message, "type": "fake"}}, item.headers)
                return
            if isinstance(item, FakeHang):
                time.sleep(item.seconds)
                item = item.text
            if isinstance(item, str):
                item = FakeReply(item)
            model = body.get("model", "")
            if isinstance(item, FakeCut):
                self._stream(kind, model, FakeReply(item.text, chunk_chars=item.chunk_chars), body, cut_after=item.after_chunks)
            elif body.get("stream"):
                self._stream(kind, model, item, body)
            else:
                self._whole(kind, model, item)

        def _embeddings(self, body: dict) -> None:
            """Deterministic vectors (character bigrams hashed), or the next scripted FakeError."""
            item = fake.next_item(body) if not fake.responder else None
            if isinstance(item, FakeError):
                self._json(item.status, {"error": {"message": item.message, "type": "fake"}}, item.headers)
                return
            from drafter.index.embed import HashingEmbedder

            texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
            vectors = HashingEmbedder(dim=32).embed_passages(texts)
            data = [{"object": "embedding", "index": i, "embedding": [float(x) for x in v]} for i, v in enumerate(vectors)]
            self._json(200, {"object": "list", "data": data, "model": body.get("model", ""),
                             "usage": {"prompt_tokens": 1, "total_tokens": 1}})

        def _headers(self) -> dict[str, str]:
            return {k.lower(): v for k, v in self.headers.items()}

        # -- answers --

        def _json(self, status: int, payload: dict, headers: tuple[tuple[str, str], ...] = ()) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _whole(self, kind: str, model: str, reply: FakeReply) -> None:
            if kind == "chat":
                choice = {"index": 0, "message": {"role": "assistant", "content": reply.text}, "finish_reason": reply.finish_reason}
                obj = "chat.completion"
            else:
                choice = {"index": 0, "text": reply.text, "finish_reason": reply.finish_reason}
                obj = "text_completion"
            payload = {"id": "fake-1", "object": obj, "created": 0, "model": reply.model or model, "choices": [choice]}
            if reply.usage:
                payload["usage"] = _usage(reply.text)
            self._json(200, payload)

        def _stream(self, kind: str, model: str, reply: FakeReply, body: dict, cut_after: int | None = None) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            pieces = [reply.text[i : i + reply.chunk_chars] for i in range(0, len(reply.text), reply.chunk_chars)]
            name = reply.model or model
            for n, piece in enumerate(pieces):
                if cut_after is not None and n >= cut_after:
                    # Half a chunk, then close: the client sees a body that stops mid-message.
                    self.wfile.write(b"40\r\ndata: {\"trunc")
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self._event(_chunk(kind, name, piece, None))
                if fake.chunk_delay:
                    time.sleep(fake.chunk_delay)
            self._event(_chunk(kind, name, "", reply.finish_reason))
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            if reply.usage and include_usage:
                self._event({"id": "fake-1", "object": "chunk", "model": name, "choices": [], "usage": _usage(reply.text)})
            self._raw(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

        def _event(self, payload: dict) -> None:
            self._raw(f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode())

        def _raw(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

    return Handler


def _chunk(kind: str, model: str, text: str, finish_reason: str | None) -> dict:
    if kind == "chat":
        delta = {"content": text} if text else {}
        choice = {"index": 0, "delta": delta, "finish_reason": finish_reason}
        obj = "chat.completion.chunk"
    else:
        choice = {"index": 0, "text": text, "finish_reason": finish_reason}
        obj = "text_completion"
    return {"id": "fake-1", "object": obj, "created": 0, "model": model, "choices": [choice]}


def _usage(text: str) -> dict:
    return {"prompt_tokens": 11, "completion_tokens": max(1, len(text)), "total_tokens": 11 + max(1, len(text))}
