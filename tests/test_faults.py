"""What a first-week user runs into (issue 18), each checked: a corpus folder that would wipe the
index, misspelt settings, square brackets in user text, runs that never say how they ended, silent
waits, and a `--yes` run that leaves no draft file when it stops."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from rich.console import Console

from drafter.config import load_settings
from drafter.errors import CorpusError, IndexStoreError, LLMError
from drafter.index.ingest import ingest_corpus
from drafter.index.retrieve import list_documents, search_passages
from drafter.index.state import IndexState
from tests.conftest import SAMPLE_CORPUS, copy_project
from tests.fake_openai import FakeCut, FakeOpenAI
from tests.scripted import FACTS, GOOD, OUTLINE, section_of


def console(terminal: bool = False, width: int = 200) -> Console:
    return Console(file=io.StringIO(), force_terminal=terminal, width=width, color_system=None, record=True)


def text_of(c: Console) -> str:
    return c.export_text()


# --- ingest: a folder that would wipe the index ----------------------------------------------------


@pytest.fixture
def indexed(tmp_path, sample_index):
    """A copy of the sample project (5 reports, indexed) and its settings."""
    copy_project(sample_index, tmp_path / "p")
    env = {"DRAFTER_HOME": str(tmp_path / "p" / "home"), "DRAFTER_EMBED_PROVIDER": "hashing"}
    return tmp_path / "p", load_settings(project_dir=tmp_path / "p", env=env)


def documents(settings) -> list[str]:
    return [d.doc_id for d in list_documents(settings)]


def test_a_folder_with_no_readable_file_removes_nothing(indexed, tmp_path):
    project, settings = indexed
    before = documents(settings)
    shutil.rmtree(project / "corpus")
    (project / "corpus").mkdir()
    (project / "corpus" / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(400))
    (project / "corpus" / "empty.md").write_bytes(b"")
    with pytest.raises(CorpusError, match=r"none of the 2 files in .* could be read \(.*scan.txt.*\): nothing was "
                                          r"indexed or removed, the index is unchanged"):
        ingest_corpus(settings)
    assert documents(settings) == before
    assert search_passages(settings, "新增学位", k=2)  # and search answers as before, without a note


@pytest.mark.parametrize(
    "remove, prune, answer, outcome",
    [
        (1, False, None, "removed 1"),
        (2, False, None, "removed 2"),  # 2 of 5: not more than half
        (3, False, None, "refused"),  # 3 of 5: more than half, no --prune, nobody to ask
        (3, False, False, "refused"),  # asked on a terminal, answered no
        (3, False, True, "removed 3"),  # … answered yes
        (3, True, None, "removed 3"),  # --prune
        (5, True, None, "refused: none readable"),  # nothing left to read: never an empty index
    ],
)
def test_removing_more_than_half_of_the_index_needs_prune_or_a_yes(indexed, remove, prune, answer, outcome):
    project, settings = indexed
    before = documents(settings)
    for name in before[:remove]:
        (project / "corpus" / name).unlink()
    asked = []

    def confirm(removed, indexed_count):
        asked.append((len(removed), indexed_count))
        return answer

    try:
        report = ingest_corpus(settings, prune=prune, confirm_removal=None if answer is None else confirm)
    except CorpusError as e:
        assert outcome.startswith("refused"), e
        assert documents(settings) == before
        if outcome == "refused":
            assert f"lacks {remove} of the 5 indexed documents" in str(e) and "drafter ingest --prune" in str(e)
        return
    assert outcome == f"removed {remove}"
    assert len(report.removed_files) == remove and documents(settings) == before[remove:]
    assert asked == ([(remove, 5)] if answer is not None else [])


def test_the_cli_asks_nothing_without_a_terminal_and_takes_prune(indexed):
    project, settings = indexed
    for name in documents(settings)[:4]:
        (project / "corpus" / name).unlink()
    env = {**_clean_env(), "DRAFTER_HOME": str(project / "home"), "DRAFTER_EMBED_PROVIDER": "hashing"}
    refused = subprocess.run([sys.executable, "-m", "drafter", "ingest"], cwd=project, env=env, capture_output=True,
                             text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert refused.returncode == 2 and "lacks 4 of the 5 indexed documents" in refused.stderr
    pruned = subprocess.run([sys.executable, "-m", "drafter", "ingest", "--prune"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=120)
    assert pruned.returncode == 0 and "4 removed" in pruned.stderr


# --- what readers are told ------------------------------------------------------------------------

PUBLISHED = {"at": "2026-11-02 17:00:00", "documents": 20, "chunks": 300}
JOURNAL = {"started": "2026-11-03 10:12:01", "stage": "embedding", "done": 48, "total": 120}


@pytest.mark.parametrize(
    "published, journal, running, note, error",
    [
        (PUBLISHED, None, False, "", None),
        (PUBLISHED, JOURNAL, False, "the last ingest (started 2026-11-03 10:12:01) was interrupted at embedding 48/120: "
         "results come from the last complete index (20 documents, published 2026-11-02 17:00:00); run `drafter "
         "ingest` to finish it", None),
        (PUBLISHED, JOURNAL, True, "an ingest is running (started 2026-11-03 10:12:01, embedding 48/120): results come "
         "from the last complete index (20 documents, published 2026-11-02 17:00:00) until it has finished", None),
        (PUBLISHED, {"started": "x", "stage": "building the BM25 index", "done": 0, "total": 0}, False,
         "the last ingest (started x) was interrupted at building the BM25 index: results come from the last "
         "complete index (20 documents, published 2026-11-02 17:00:00); run `drafter ingest` to finish it", None),
        (None, JOURNAL, False, "", "the index is incomplete (interrupted ingest at embedding 48/120, started "
         "2026-11-03 10:12:01): run `drafter ingest`"),
        (None, JOURNAL, True, "", "the index is being built (ingest started 2026-11-03 10:12:01, now at embedding "
         "48/120): try again when it has finished"),
        (None, None, False, "", "no index in /data: run `drafter ingest` first"),
    ],
)
def test_what_readers_are_told_about_the_index(published, journal, running, note, error):
    state = IndexState(published, journal, running)
    assert state.note == note
    if error is None:
        state.require_complete(Path("/data"))
    else:
        with pytest.raises(IndexStoreError) as info:
            state.require_complete(Path("/data"))
        assert str(info.value) == error


# --- misspelt settings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "env, warnings",
    [
        ({"DRAFTER_BASE_URL": "https://api.example.com/v1"},
         ["$DRAFTER_BASE_URL is not a drafter setting and is ignored; did you mean DRAFTER_LLM_BASE_URL or "
          "DRAFTER_EMBED_BASE_URL?"]),
        ({"DRAFTER_LLM_MODLE": "x"}, ["$DRAFTER_LLM_MODLE is not a drafter setting and is ignored; did you mean "
                                     "DRAFTER_LLM_MODEL?"]),
        ({"DRAFTER_EMBED_THREAD": "1"}, ["$DRAFTER_EMBED_THREAD is not a drafter setting and is ignored; did you "
                                         "mean DRAFTER_EMBED_THREADS?"]),
        ({"DRAFTER_CORPUS_DIR": "c"}, ["$DRAFTER_CORPUS_DIR is not a drafter setting and is ignored; did you mean "
                                       "DRAFTER_CORPUS?"]),
        ({"DRAFTER_ZZZ": "1"}, ["$DRAFTER_ZZZ is not a drafter setting and is ignored"]),
        ({"DRAFTER_LLM_API_KEY": "sk-secret"}, ["$DRAFTER_LLM_API_KEY is not a drafter setting and is ignored; "
                                                "drafter reads an API key only from the variable that llm.api_key_env "
                                                "(DRAFTER_LLM_API_KEY_ENV) names, e.g. "
                                                "DRAFTER_LLM_API_KEY_ENV=DEEPSEEK_API_KEY"]),
        # known names, and the variable an api_key_env names, are not warned about
        ({"DRAFTER_LLM_BASE_URL": "u", "DRAFTER_HOME": "/h", "DRAFTER_DEBUG": "1", "DRAFTER_LOCAL_GGUF": "/m.gguf",
          "DRAFTER_FORMULAS": "f.txt", "DRAFTER_CORPUS": "c", "DRAFTER_INDEX_CHROMA_URL": ""}, []),
        ({"DRAFTER_LLM_API_KEY_ENV": "DRAFTER_OFFICE_KEY", "DRAFTER_OFFICE_KEY": "sk-1"}, []),
        ({"DRAFTERX": "1", "OTHER_BASE_URL": "x"}, []),
    ],
)
def test_unknown_variables_are_warned_with_the_nearest_name(tmp_path, env, warnings):
    settings = load_settings(project_dir=tmp_path, env=env)
    assert list(settings.warnings) == warnings
    assert all("sk-" not in w for w in settings.warnings)  # a value is never repeated


@pytest.mark.parametrize(
    "toml, message",
    [
        ('[llm]\nbase_ur = "x"\n', "unknown setting 'llm.base_ur'; did you mean 'llm.base_url'?"),
        ('[embed]\nchroma_url = "x"\n', "unknown setting 'embed.chroma_url'; did you mean 'index.chroma_url'?"),
        ('[llm]\napi_key = "sk-1"\n', "unknown setting 'llm.api_key'; did you mean 'llm.api_key_env'?"),
        ("lm = 3\n", "unknown setting 'lm'; did you mean 'llm'?"),
        ('[serach]\nk = 3\n', "unknown setting 'serach'; did you mean 'search'?"),
        ("[llm]\nxyzzy = 1\n", "unknown setting 'llm.xyzzy' (known in [llm]: api_key_env, base_url"),
    ],
)
def test_unknown_toml_keys_are_errors_naming_the_nearest_key(tmp_path, toml, message):
    from drafter.errors import ConfigError

    (tmp_path / "drafter.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(project_dir=tmp_path, env={})
    assert message in str(info.value)
    assert "sk-1" not in str(info.value)


def test_every_command_prints_the_warning(tmp_path):
    env = {**_clean_env(), "DRAFTER_HOME": str(tmp_path / "home"), "DRAFTER_BASE_URL": "https://api.example.com"}
    done = subprocess.run([sys.executable, "-m", "drafter", "runs"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0
    assert ("warning: $DRAFTER_BASE_URL is not a drafter setting and is ignored; did you mean DRAFTER_LLM_BASE_URL"
            in " ".join(done.stderr.split()))


# --- square brackets in user text ---------------------------------------------------------------


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("DRAFTER_")} | {"NO_COLOR": "1", "COLUMNS": "300"}


def test_paths_with_brackets_print_as_typed(tmp_path):
    env = {**_clean_env(), "DRAFTER_HOME": str(tmp_path / "home"), "DRAFTER_EMBED_PROVIDER": "hashing"}
    (tmp_path / "[llm]facts.yaml").write_text("title: t\nfacts:\n  - name: 学位\n    value: 3个\n", encoding="utf-8")

    def run(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "drafter", *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120)
        return " ".join((done.stdout + done.stderr).split())

    assert "[red]draft.md" in run("check", "[red]draft.md", "--facts", "[llm]facts.yaml")
    assert "[llm]corpus" in run("ingest", "[llm]corpus")
    corpus = tmp_path / "[red]corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    (corpus / "[llm]扫描件.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    out = run("ingest", "[red]corpus")
    assert "skipped [llm]扫描件.txt" in out
    assert "outline written to [red]outline.md" in run("outline", "--type", "述职", "-o", "[red]outline.md")


def _plan(index: int, heading: str):
    return SimpleNamespace(index=index, heading=heading, path=(heading,))


@pytest.mark.parametrize(
    "render, expected",
    [
        (lambda c: __import__("drafter.ui.corpus_view", fromlist=["x"]).render_documents(c, [SimpleNamespace(
            doc_id="[red]a.txt", title="[llm]标题", doc_type="[bold]述职", type_source="filename", year=2023,
            issuer="[i]局", sections=2, headings=3, chunks=4)]), ["[red]a.txt", "[llm]标题", "[bold]述职", "[i]局"]),
        (lambda c: __import__("drafter.ui.draft_view", fromlist=["x"]).render_runs(c, [{
            "run": "r1", "type": "[red]述职", "started": "s", "accepted": 0, "total": 4, "ungrounded": 0,
            "status": "failed: set model in the [llm] table of drafter.toml", "path": "/x/[red]runs"}]),
         ["[red]述职", "[llm] table", "/x/[red]runs"]),
        (lambda c: __import__("drafter.ui.outline_view", fromlist=["x"]).render_outline(c, SimpleNamespace(
            title="[red]述职", doc_type="述职", source="[llm]", sections=(), unassigned=("[red]指标",))),
         ["[red]述职", "[llm]", "[red]指标"]),
        (lambda c: __import__("drafter.ui.draft_view", fromlist=["x"]).DraftConsole(c, stream=True).note(
            "[red]draft.md changed"), ["[red]draft.md changed"]),
        (lambda c: __import__("drafter.ui.draft_view", fromlist=["x"]).DraftConsole(c, stream=True).section_started(
            _plan(1, "[llm]一、概况"), 4, "[red]model"), ["[llm]一、概况", "[red]model"]),
        (lambda c: __import__("drafter.ui.corpus_view", fromlist=["x"]).render_passages(c, "[red]q", []), ["[red]q"]),
        (lambda c: __import__("drafter.ui.corpus_view", fromlist=["x"]).render_skipped(c, SimpleNamespace(
            skipped=(SimpleNamespace(path="[red]扫描.txt", reason="not text [binary]"),))),
         ["[red]扫描.txt", "not text [binary]"]),
    ],
)
def test_views_escape_user_text(render, expected):
    c = console()
    render(c)
    shown = text_of(c)
    for text in expected:
        assert text in shown, shown


# --- every run ends in a final state -------------------------------------------------------------


@pytest.fixture
def project(tmp_path, sample_index):
    copy_project(sample_index, tmp_path)
    (tmp_path / "outline.md").write_text(OUTLINE, encoding="utf-8")
    env = {**_clean_env(), "DRAFTER_HOME": str(tmp_path / "home"), "DRAFTER_EMBED_PROVIDER": "hashing",
           "DRAFTER_LLM_MODEL": "fake-model", "DRAFTER_LLM_MAX_RETRIES": "0", "DRAFTER_LLM_TIMEOUT": "20"}
    return tmp_path, env


def draft_args(*extra: str) -> list[str]:
    return ["draft", "--type", "述职", "--facts", str(FACTS), "--outline", "outline.md", "-o", "draft.md", "--yes", *extra]


def drafter(project, *args: str, **env: str | None) -> subprocess.CompletedProcess:
    cwd, base = project
    full = {**base, **env}
    full = {k: v for k, v in full.items() if v is not None}
    return subprocess.run([sys.executable, "-m", "drafter", *args], cwd=cwd, env=full, capture_output=True,
                          text=True, timeout=180)


def last_run(project) -> dict:
    return json.loads(drafter(project, "runs", "--json").stdout)["runs"][-1]


@pytest.mark.parametrize(
    "env, status",
    [
        ({"DRAFTER_LLM_BASE_URL": "http://127.0.0.1:9/v1", "DRAFTER_LLM_MODEL": None},
         "failed: llm.model is not set for http://127.0.0.1:9/v1 (set model in the [llm] table of drafter.toml, "
         "or DRAFTER_LLM_MODEL)"),
        ({"DRAFTER_LLM_BASE_URL": "http://127.0.0.1:9/v1"}, "failed: cannot connect to http://127.0.0.1:9/v1"),
        ({"DRAFTER_LLM_BASE_URL": None, "DRAFTER_LOCAL_GGUF": "/nonexistent/office.gguf"},
         "failed: the GGUF named by llm.local_gguf / DRAFTER_LOCAL_GGUF does not exist: /nonexistent/office.gguf"),
    ],
)
def test_a_run_that_cannot_start_ends_failed_with_its_reason(project, env, status):
    result = drafter(project, *draft_args(), **env)
    assert result.returncode == 2, result.stderr
    run = last_run(project)
    assert run["status"].startswith(status), run["status"]
    assert status in drafter(project, "runs", COLUMNS="500").stdout  # the table shows it, brackets and all


def test_the_runs_table_keeps_square_brackets(project):
    drafter(project, *draft_args(), DRAFTER_LLM_BASE_URL="http://127.0.0.1:9/v1", DRAFTER_LLM_MODEL=None)
    table = drafter(project, "runs", COLUMNS="400").stdout
    assert "[llm] table" in table


def test_a_killed_run_is_not_running_forever(project):
    with FakeOpenAI(latency=30, responder=lambda body: GOOD[section_of(body)]) as fake:
        cwd, env = project
        proc = subprocess.Popen([sys.executable, "-m", "drafter", *draft_args()], cwd=cwd,
                                env={**env, "DRAFTER_LLM_BASE_URL": fake.base_url},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while not fake.history and time.monotonic() < deadline:
            time.sleep(0.1)
        assert last_run(project)["status"] == "running"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert last_run(project)["status"] == (f"failed: the drafter process ({proc.pid}) ended without a final state "
                                           "(killed?)")


def test_a_run_with_an_unfinished_section_says_so(project):
    with FakeOpenAI(responder=lambda body: GOOD[section_of(body)]) as fake:
        fake.enqueue(FakeCut("一年来，本机关荣获各级各类党建集体荣誉", after_chunks=3))
        result = drafter(project, *draft_args("--jobs", "1"), DRAFTER_LLM_BASE_URL=fake.base_url)
    assert result.returncode == 1
    assert last_run(project)["status"] == "failed: 1 of 4 sections not finished (第 1 节 incomplete)"


def test_a_finished_run_is_finished(project):
    with FakeOpenAI(responder=lambda body: GOOD[section_of(body)]) as fake:
        result = drafter(project, *draft_args(), DRAFTER_LLM_BASE_URL=fake.base_url)
    assert result.returncode == 0, result.stderr
    assert last_run(project)["status"] == "finished"


@pytest.mark.parametrize(
    "error, status",
    [
        (LLMError("cannot connect to http://x (tried 3 times)"), "failed: cannot connect to http://x (tried 3 times)"),
        (OSError(28, "No space left on device"), "failed: OSError: [Errno 28] No space left on device"),
        (RuntimeError(), "failed: RuntimeError"),
        ("a reason\non two lines", "failed: a reason on two lines"),
    ],
)
def test_failure_status(error, status):
    from drafter.drafting.rundir import failure_status

    assert failure_status(error) == status


def test_shown_status_of_a_run_whose_process_is_gone():
    import socket

    from drafter.drafting.rundir import RunInfo, shown_status

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    info = RunInfo("r", "c", "述职", "t", "", "f", "h", "g", "o", "m", status="running", pid=gone.pid,
                   host=socket.gethostname())
    assert shown_status(info).startswith(f"failed: the drafter process ({gone.pid}) ended")
    assert shown_status(RunInfo(**{**info.__dict__, "pid": os.getpid()})) == "running"  # this very process
    assert shown_status(RunInfo(**{**info.__dict__, "host": "another-host"})) == "running"  # cannot tell
    assert shown_status(RunInfo(**{**info.__dict__, "status": "finished"})) == "finished"


# --- `--yes -o draft.md`: the draft file after each section --------------------------------------


def test_the_draft_file_is_rewritten_after_each_section(project):
    cwd, env = project
    seen: list[str] = []
    with FakeOpenAI(latency=1.2, responder=lambda body: GOOD[section_of(body)]) as fake:
        proc = subprocess.Popen([sys.executable, "-m", "drafter", *draft_args("--jobs", "1")], cwd=cwd,
                                env={**env, "DRAFTER_LLM_BASE_URL": fake.base_url},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(seen) < 2:
            draft = cwd / "draft.md"
            text = draft.read_text(encoding="utf-8") if draft.exists() else ""
            if text and (not seen or text != seen[-1]):
                seen.append(text)
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # stopped after two of four sections
        proc.wait()
    assert len(seen) == 2, seen
    first, second = seen
    # every version is a whole draft: the title, every heading, finished sections, the rest marked
    for text in seen:
        assert text.startswith("# 2023年市局主要领导工作述职\n") and text.endswith("\n")
        assert "## 二、存在的不足" in text
    assert GOOD["〔开头〕"] in first and first.count("〔本节尚未起草〕") == 3
    assert GOOD["（一）突出组织建设"] in second and second.count("〔本节尚未起草〕") == 2
    assert (cwd / "draft.md").read_text(encoding="utf-8") == second  # the kill left the last whole version
    assert not [p for p in cwd.iterdir() if p.name.startswith(".draft.md") or p.name.endswith(".tmp")]


# --- no silent waits ---------------------------------------------------------------------------


def test_plain_wait_lines_when_stderr_is_not_a_terminal():
    from drafter.ui.waiting import WaitLine

    c = console()
    line = WaitLine(c, after=0.2, every=0.4, tick=0.02)
    with line.waiting("第 1/4 节 · waiting for the first token") as wait:
        time.sleep(0.5)
        wait.update("第 1/4 节 · still waiting")
        time.sleep(0.4)
    with line.waiting("a short wait"):
        time.sleep(0.05)
    time.sleep(0.1)
    lines = text_of(c).splitlines()
    assert lines[0] == "… 第 1/4 节 · waiting for the first token · 0 s"
    assert lines[1].startswith("… 第 1/4 节 · still waiting · ") and len(lines) == 2  # every 0.4 s; no short wait


def test_a_live_wait_line_on_a_terminal_shows_seconds_and_is_cleared():
    from drafter.ui.waiting import WaitLine

    shown: list[str | None] = []
    line = WaitLine(console(terminal=True), after=0.1, tick=0.02,
                    live=lambda text: shown.append(None if text is None else text.plain))
    with line.waiting("starting the local model"):
        with line.waiting("第 2/4 节 · repairing"):
            time.sleep(0.3)
        time.sleep(0.1)
    assert "starting the local model 0 s · 第 2/4 节 · repairing 0 s" in shown
    assert shown[-2] == "starting the local model 0 s" and shown[-1] is None


def test_a_draft_run_reports_waits_for_the_first_token_and_the_repair(project):
    """stderr is a pipe here: a plain line once a wait passes 2 s."""

    def respond(body):
        if "核稿" in body["messages"][0]["content"]:
            return GOOD["（二）突出内涵建设"]
        if section_of(body) == "（二）突出内涵建设":
            return "今年局机关共开展志愿服务14场，人均达到25小时。"  # 25 needs a repair
        return GOOD[section_of(body)]

    with FakeOpenAI(latency=2.6, responder=respond) as fake:
        result = drafter(project, *draft_args("--jobs", "1"), DRAFTER_LLM_BASE_URL=fake.base_url)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "… 第 1/4 节 · waiting for the first token · 2 s" in lines
    assert "… 第 3/4 节 · repairing · 2 s" in lines
    # the streamed text is not broken by the wait lines
    assert any(line.startswith(GOOD["（二）突出内涵建设"][:10]) or GOOD["〔开头〕"] in line for line in lines)


@pytest.mark.slow  # ~30 s: the number index of 4,000 passages
def test_reading_a_2mb_single_line_file_shows_progress(tmp_path):
    from drafter.ui.corpus_view import IngestProgress

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (SAMPLE_CORPUS / "2023_述职_市教育局主要领导.txt").read_text(encoding="utf-8").replace("\n", "")
    (corpus / "big.txt").write_text((text * (2_000_000 // len(text.encode()) + 1))[:700_000], encoding="utf-8")
    settings = load_settings(project_dir=tmp_path, env={"DRAFTER_HOME": str(tmp_path / "home"),
                                                       "DRAFTER_EMBED_PROVIDER": "hashing"})
    c = console()
    with IngestProgress(c, after=0.0, every=1.0) as progress:
        ingest_corpus(settings, progress=progress)
    shown = text_of(c)
    assert "… reading and chunking big.txt (2.0 MB) · 0 s" in shown
    assert "… embedding " in shown and "… number index" in shown


def test_the_terminal_session_shows_its_waits_with_seconds():
    from drafter.ui.terminal.screen import StreamView

    view = StreamView(console(terminal=True))
    assert view.status().plain == "waiting for the first token… 0 s (Ctrl-C stops)"
    view.delta("一年来")
    with view.waiting("repairing"):
        assert view.status().plain == "repairing… 0 s"
    assert view.status().plain.startswith("1 tokens")


def test_an_interactive_run_that_cannot_start_ends_failed(project):
    pexpect = pytest.importorskip("pexpect")
    cwd, env = project
    env = {**env, "DRAFTER_LLM_BASE_URL": "http://127.0.0.1:9/v1", "TERM": "xterm-256color"}
    env.pop("DRAFTER_LLM_MODEL")
    child = pexpect.spawn(sys.executable, ["-m", "drafter", "draft", "--type", "述职", "--facts", str(FACTS),
                                           "--outline", "outline.md", "-o", "draft.md"],
                          cwd=str(cwd), env=env, encoding="utf-8", dimensions=(24, 80), timeout=60)
    child.expect("quit › ")
    child.send("a")  # accept the outline: the run starts, and the model cannot
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert last_run(project)["status"].startswith("failed: llm.model is not set for http://127.0.0.1:9/v1")
