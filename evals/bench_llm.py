"""Benchmark the bundled local model: server start-up, then a short generation, median of 3.

    python evals/bench_llm.py [--threads 2] [--ctx 4096] [--tokens 64] [--runs 3] [--json]

Prints seconds to verify the GGUF, seconds until the server answers /health, and for the
generation: wall seconds, seconds to the first token, and tokens/s of generation alone.
Numbers on a shared 2-core box swing with what else runs: note the load average with them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from drafter.config import load_settings
from drafter.llm.client import ChatRequest, Message, OpenAIChatModel, complete
from drafter.llm.local_model import MODEL_NAME, ServerOptions, ensure_model, resolve_threads, serve

PROMPT = "请用三句话概括基层党支部年度工作总结一般包括哪几个部分。"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=None, help="default: llm.threads")
    ap.add_argument("--ctx", type=int, default=None, help="default: llm.context_size")
    ap.add_argument("--tokens", type=int, default=64)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    settings = load_settings()
    llm = settings.llm
    threads = resolve_threads(args.threads or llm.threads)
    ctx = args.ctx or llm.context_size

    t0 = time.monotonic()
    gguf = ensure_model(settings.data_dir, llm.local_gguf)
    verify_s = time.monotonic() - t0

    options = ServerOptions(model=gguf, context_size=ctx, threads=threads, log_file=settings.data_dir / "logs" / "bench-server.log")
    t0 = time.monotonic()
    runs = []
    with serve(options) as base_url:
        start_s = time.monotonic() - t0
        model = OpenAIChatModel(base_url=base_url, model=MODEL_NAME, temperature=0.0, max_tokens=args.tokens, timeout=300)
        request = ChatRequest(messages=(Message("user", PROMPT),), stage="test")
        complete(model, ChatRequest(messages=(Message("user", "你好"),), max_tokens=4))  # warm-up
        for _ in range(args.runs):
            done = complete(model, request)
            gen_s = done.latency_s - (done.first_token_s or 0.0)
            tokens = done.output_tokens or 0
            runs.append({
                "seconds": done.latency_s,
                "first_token_s": done.first_token_s or 0.0,
                "output_tokens": tokens,
                "input_tokens": done.input_tokens or 0,
                "tokens_per_s": (tokens - 1) / gen_s if gen_s > 0 and tokens > 1 else 0.0,
            })  # fmt: skip

    result = {
        "model": str(gguf),
        "threads": threads,
        "context_size": ctx,
        "load_average": os.getloadavg()[0],
        "verify_s": round(verify_s, 2),
        "server_start_s": round(start_s, 2),
        "runs": len(runs),
        "median_seconds": round(statistics.median(r["seconds"] for r in runs), 2),
        "median_first_token_s": round(statistics.median(r["first_token_s"] for r in runs), 2),
        "median_tokens_per_s": round(statistics.median(r["tokens_per_s"] for r in runs), 1),
        "median_output_tokens": statistics.median(r["output_tokens"] for r in runs),
    }
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"model            {Path(result['model']).name} (threads {threads}, ctx {ctx}, load {result['load_average']:.2f})")
        print(f"verify gguf      {result['verify_s']:.2f} s")
        print(f"server start     {result['server_start_s']:.2f} s")
        print(
            f"generation       {result['median_seconds']:.2f} s for {result['median_output_tokens']:g} tokens, "
            f"first token {result['median_first_token_s']:.2f} s, {result['median_tokens_per_s']:.1f} tokens/s "
            f"(median of {len(runs)})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
