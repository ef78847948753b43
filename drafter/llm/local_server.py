"""Child-process entry: ``python -m drafter.llm.local_server --model X.gguf``.

Loads the model into llama.cpp's server (xllamacpp), prints ``LISTENING <url>`` on stdout once it
answers, then lives until its stdin reaches EOF (the parent closed it, or the parent died), the
parent pid changes, or SIGTERM. llama.cpp logs to stderr, which the parent sends to a file.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

READY_PREFIX = "LISTENING "


def _parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m drafter.llm.local_server")
    ap.add_argument("--model", required=True)
    ap.add_argument("--port", type=int, default=0, help="0: any free port (printed on stdout)")
    ap.add_argument("--ctx", type=int, default=4096)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--parent-pid", type=int, default=0)
    ap.add_argument("--alias", default="")
    return ap.parse_args(argv)


def _watch_stdin() -> None:
    # EOF on stdin means the parent is gone or wants us gone: leave at once, even mid-load.
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except (OSError, ValueError):
        pass
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=_watch_stdin, name="stdin-watch", daemon=True).start()

    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = args.model
    params.n_ctx = args.ctx
    params.n_parallel = 1
    params.port = args.port
    params.hostnames = ["127.0.0.1"]
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    if args.alias:
        params.model_alias = {args.alias}
    try:
        server = xllamacpp.Server(params)  # returns once the model is loaded and the port is bound
    except Exception as e:  # noqa: BLE001 - any failure to load is reported the same way
        sys.stderr.write(f"drafter.llm.local_server: {type(e).__name__}: {e}\n")
        sys.stderr.flush()
        # os._exit, not return: a normal interpreter shutdown can deadlock on the stdin thread.
        os._exit(3)
    sys.stdout.write(f"{READY_PREFIX}{server.listening_address}\n")
    sys.stdout.flush()

    while not stop.wait(1.0):
        if args.parent_pid and os.getppid() != args.parent_pid:
            break
    del server  # joins llama.cpp's loop: a clean stop in about a second
    sys.stdout.flush()
    os._exit(0)  # as above: never finalise with the stdin thread blocked in read()


if __name__ == "__main__":
    raise SystemExit(main())
