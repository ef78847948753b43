"""`drafter models` on the terminal: the endpoint, the model of each stage, sampling, and the test call."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from drafter.llm.models import LLMDescription, PingResult


def render_models(console: Console, info: LLMDescription, result: PingResult | None) -> None:
    def line(text: str) -> None:
        console.print(text, highlight=False)

    if info.local:
        line(f"endpoint      local model ({escape(info.local_state)})")
        line(f"gguf          {escape(info.local_model)}")
        threads = f"{info.local_threads} thread" + ("s" if info.local_threads != 1 else "")
        line(f"server        {threads}, context {info.context_size} tokens")
    else:
        key = "set" if info.api_key_set else "[red]NOT SET[/]"
        line(f"endpoint      {escape(info.base_url)}")
        if info.api_key_env:
            line(f"api key       ${escape(info.api_key_env)} ({key})")
        else:
            line("api key       none configured (llm.api_key_env)")
    for s in info.stages:
        line(f"{s.stage + ' model':<14}{escape(s.model) if s.model else '[red](not set: llm.model)[/]'}")
    line(f"sampling      temperature {info.temperature:g}, max_tokens {info.max_tokens}, "
         f"timeout {info.timeout:g} s, retries {info.max_retries}")
    if result is not None and result.ok:
        started = f", server start {result.start_s:.1f} s" if result.start_s is not None else ""
        tokens = f", {result.input_tokens}→{result.output_tokens} tokens" if result.output_tokens is not None else ""
        line(f"[green]test ok[/]       {result.latency_s:.2f} s{tokens}{started}: {escape(repr(result.reply))}")
