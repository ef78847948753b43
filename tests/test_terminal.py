"""`drafter draft` without --yes: the real CLI in a pseudo-terminal (pexpect), against the scripted
OpenAI-compatible server on 127.0.0.1 (tests/fake_openai.py), which streams known text with known
numbers and records every request."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

from rich.cells import cell_len  # noqa: E402

from tests.conftest import copy_project  # noqa: E402
from tests.fake_openai import FakeOpenAI  # noqa: E402
from tests.scripted import FACTS, GOOD, OUTLINE, section_of  # noqa: E402

SHORTER = "全年荣获党建集体荣誉22项、个人荣誉61人次。"  # the 〔开头〕 answer when asked for 更精炼
DRAFT = (
    "# 2023年市局主要领导工作述职\n\n" + GOOD["〔开头〕"] + "\n\n## 一、个人履职情况\n\n"
    "### （一）突出组织建设，筑牢基层堡垒\n\n" + GOOD["（一）突出组织建设"] + "\n\n"
    "### （二）突出内涵建设，促进中心工作\n\n" + GOOD["（二）突出内涵建设"] + "\n\n"
    "## 二、存在的不足\n\n" + GOOD["二、存在的不足"] + "\n"
)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>78]")
PROMPT = "help › "  # the end of the section prompt
OUTLINE_PROMPT = "quit › "


def plain(text: str) -> str:
    return ANSI.sub("", text).replace("\r", "")



def answer(body: dict) -> str:
    key = section_of(body)
    if key == "〔开头〕" and "更精炼" in json.dumps(body, ensure_ascii=False):
        return SHORTER
    return GOOD[key]


def drafts(fake: FakeOpenAI) -> list[str]:
    """The sections the model was asked to draft, in order."""
    return [section_of(r.json) for r in fake.history if r.method == "POST"]


def base_env(cwd: Path) -> dict[str, str]:
    env = {**os.environ, "DRAFTER_HOME": str(cwd / "home"), "DRAFTER_EMBED_PROVIDER": "hashing",
           "DRAFTER_LLM_MODEL": "fake-model", "DRAFTER_LLM_API_KEY_ENV": "FAKE_KEY", "FAKE_KEY": "sk-test-secret-123",
           "DRAFTER_LLM_MAX_RETRIES": "0", "DRAFTER_LLM_TIMEOUT": "20", "TERM": "xterm-256color"}
    for name in ("DRAFTER_DEBUG", "NO_COLOR", "EDITOR", "VISUAL", "COLUMNS", "LINES"):
        env.pop(name, None)
    return env


@pytest.fixture
def project(tmp_path, sample_index) -> Path:
    copy_project(sample_index, tmp_path / "p")
    (tmp_path / "p" / "outline.md").write_text(OUTLINE, encoding="utf-8")
    return tmp_path / "p"


class Term:
    """The real CLI in a pseudo-terminal of 80×24."""

    def __init__(self, cwd: Path, fake: FakeOpenAI | None, *args: str, **env: str) -> None:
        full_env = {**base_env(cwd), "DRAFTER_LLM_BASE_URL": fake.base_url if fake else "http://127.0.0.1:9/v1"}
        for name, value in env.items():
            if value is None:
                full_env.pop(name, None)
            else:
                full_env[name] = value
        self.log = io.StringIO()
        self.child = pexpect.spawn(sys.executable, ["-m", "drafter", *args], cwd=str(cwd), env=full_env,
                                   encoding="utf-8", dimensions=(24, 80), timeout=60)
        self.child.logfile_read = self.log

    def expect(self, pattern: str) -> str:
        """Wait for ``pattern``; the plain text shown before it."""
        self.child.expect(pattern)
        return plain(self.child.before)

    def prompt(self) -> str:
        return self.expect(PROMPT)

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def end(self) -> tuple[int, str]:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus, plain(self.child.before)

    @property
    def transcript(self) -> str:
        return plain(self.log.getvalue())


def new_draft(cwd: Path, fake, *extra: str, **env: str) -> Term:
    return Term(cwd, fake, "draft", "--type", "述职", "--facts", str(FACTS), "--outline", "outline.md",
                "-o", "draft.md", *extra, **env)


def run_dir(cwd: Path) -> Path:
    return sorted((cwd / "home" / "runs").iterdir())[-1]


def section_file(cwd: Path, index: int) -> str:
    return (run_dir(cwd) / "sections" / f"{index:02d}.md").read_text(encoding="utf-8")


def runs_json(cwd: Path) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "drafter", "runs", "--json"], cwd=cwd, env=base_env(cwd),
                          capture_output=True, text=True, timeout=60)
    return json.loads(done.stdout)["runs"]


def editor(tmp_path: Path, body: str) -> str:
    """An $EDITOR: a small Python script that rewrites the file it is given."""
    script = tmp_path / "editor.py"
    script.write_text("import pathlib, sys\npath = pathlib.Path(sys.argv[1])\ntext = path.read_text(encoding='utf-8')\n"
                      + textwrap.dedent(body), encoding="utf-8")
    return f"{sys.executable} {script}"


# --- the whole session ---------------------------------------------------------------------------


def test_accepting_every_section_writes_the_draft_in_80x24_without_colour(project):
    with FakeOpenAI(responder=answer) as fake:
        term = new_draft(project, fake, NO_COLOR="1", COLUMNS="80", LINES="24")
        tree = term.expect(OUTLINE_PROMPT)
        assert "（二）突出内涵建设，促进中心工作" in tree and "▪ 人均志愿服务时长" in tree
        term.send("a")
        first = term.prompt()
        assert "第 1/4 节 · 〔开头〕 · fake-model" in first
        assert "[1]" in first  # the reference passages, one line each
        assert "tokens/s" in term.transcript  # the live stream showed its speed
        assert GOOD["〔开头〕"] in first and "2 grounded" in first
        for _ in range(3):
            term.send("a")
            term.prompt()
        term.send("a")
        code, tail = term.end()
    assert code == 0, term.transcript
    assert (project / "draft.md").read_text(encoding="utf-8") == DRAFT
    assert f"run: {run_dir(project)}" in tail.replace("\n", "")
    assert "6 grounded" in tail  # the full check of the written draft
    raw = term.log.getvalue()
    assert not re.search(r"\x1b\[[0-9;]*3[0-7]m", raw), "NO_COLOR is set, yet colours were sent"
    # what was written between line ends and cursor moves (the live view redraws in place)
    segments = re.split(r"\r|\n|\x1b\[\d*[ABK]", raw)
    assert not [seg for seg in segments if cell_len(ANSI.sub("", seg)) > 80]
    assert drafts(fake) == list(GOOD)  # each section asked for once
    [row] = runs_json(project)
    assert (row["accepted"], row["total"], row["ungrounded"], row["status"]) == (4, 4, 0, "finished")


def test_regenerate_with_an_instruction_keeps_every_version(project):
    with FakeOpenAI(responder=answer) as fake:
        term = new_draft(project, fake)
        term.expect(OUTLINE_PROMPT)
        term.send("a")
        term.prompt()
        term.send("r")
        term.expect("instruction")
        term.send("更精炼\r")
        shown = term.prompt()
        assert SHORTER in shown and "更精炼" in shown
        asked = [r.json for r in fake.history if r.method == "POST"]
        assert len(asked) == 2 and "写作者的要求：更精炼" in asked[1]["messages"][-1]["content"]
        assert "更精炼" not in json.dumps(asked[0], ensure_ascii=False)

        term.send("v")
        listing = term.expect("any other key: back")
        assert "v1" in listing and "v2" in listing and "更精炼" in listing
        term.send("1")
        term.expect("use this version")
        term.send("u")
        restored = term.prompt()
        assert GOOD["〔开头〕"] in restored
        term.send("a")
        term.prompt()
        term.send("q")
        code, tail = term.end()
    assert code == 0 and "drafter draft --resume" in tail
    sections = run_dir(project) / "sections"
    assert GOOD["〔开头〕"] in (sections / "01.v1.md").read_text(encoding="utf-8")
    assert SHORTER in (sections / "01.v2.md").read_text(encoding="utf-8")
    assert '"instruction": "更精炼"' in (sections / "01.v2.md").read_text(encoding="utf-8")
    current = section_file(project, 1)
    assert '"status": "accepted"' in current and GOOD["〔开头〕"] in current
    events = [json.loads(line) for line in (run_dir(project) / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {"action": "regenerate", "section": 1, "instruction": "更精炼"}.items() <= events[1].items()
    assert [e["action"] for e in events][:5] == ["draft", "regenerate", "restore", "accept", "draft"]


def test_an_edited_number_is_checked_again_and_flagged(project, tmp_path):
    fix = editor(tmp_path, "path.write_text(text.replace('23.5', '25'), encoding='utf-8')\n")
    with FakeOpenAI(responder=answer) as fake:
        term = new_draft(project, fake, EDITOR=fix, NO_COLOR="1")
        term.expect(OUTLINE_PROMPT)
        term.send("a")
        for _ in range(2):
            term.prompt()
            term.send("a")
        term.prompt()
        term.send("e")
        checked = term.prompt()
        assert "checked again" in checked
        assert re.search(r"ungrounded\s+局机关全年开展志愿服务14场，人均时长25小时", checked)
        assert "1 ungrounded" in checked
        term.send("a")
        term.prompt()
        term.send("a")
        code, tail = term.end()
    assert code == 1  # the draft holds a number the facts do not support
    assert "人均时长25小时" in (project / "draft.md").read_text(encoding="utf-8")
    assert "ungrounded" in tail
    check = json.loads((project / "draft.check.json").read_text(encoding="utf-8"))
    assert check["summary"]["ungrounded"] == 1
    assert runs_json(project)[0]["ungrounded"] == 1
    assert len(list((run_dir(project) / "sections").glob("03.v*.md"))) == 2  # the draft and the edit


def test_skip_leaves_a_todo_and_previous_goes_back_without_asking_the_model(project):
    with FakeOpenAI(responder=answer) as fake:
        term = new_draft(project, fake)
        term.expect(OUTLINE_PROMPT)
        term.send("a")
        term.prompt()
        term.send("a")
        term.prompt()
        term.send("p")
        back = term.prompt()
        assert "第 1/4 节" in back and "accepted" in back
        assert len(drafts(fake)) == 2  # going back shows the saved text
        term.send("a")  # accepted again: on to the first open section
        assert "第 2/4 节" in term.prompt()
        term.send("a")
        term.prompt()
        term.send("a")
        term.prompt()
        term.send("s")
        code, _ = term.end()
    assert code == 0
    text = (project / "draft.md").read_text(encoding="utf-8")
    assert "## 二、存在的不足\n\n〔TODO：本节已跳过，待补写〕\n" in text
    assert drafts(fake) == list(GOOD)


def test_help_and_a_full_reference_passage(project):
    with FakeOpenAI(responder=answer) as fake:
        term = new_draft(project, fake)
        term.expect(OUTLINE_PROMPT)
        term.send("a")
        term.prompt()
        term.send("?")
        assert "regenerate it; you may give an instruction" in term.prompt()
        term.send("1")
        passage = term.prompt()
        plan = json.loads((run_dir(project) / "plan.json").read_text(encoding="utf-8"))
        first = plan[0]["passages"][0]["text"]
        assert first.replace("\n", "")[:20] in passage.replace("\n", "")
        term.send("q")
        assert term.end()[0] == 0


# --- stopping and resuming -------------------------------------------------------------------------


def test_quit_then_resume_continues_at_the_first_section_not_accepted(project):
    with FakeOpenAI(responder=answer) as fake:
        term = new_draft(project, fake)
        term.expect(OUTLINE_PROMPT)
        term.send("a")
        term.prompt()
        term.send("a")
        term.prompt()  # section 2 drafted, not accepted
        term.send("q")
        code, tail = term.end()
        assert code == 0
        run_id = run_dir(project).name
        assert f"drafter draft --resume {run_id}" in tail.replace("\n", "")
        [row] = runs_json(project)
        assert (row["accepted"], row["total"], row["status"]) == (1, 4, "interrupted")  # drafted is not accepted

        asked = len(drafts(fake))
        again = Term(project, fake, "draft", "--resume")
        shown = again.prompt()
        assert "第 2/4 节" in shown and GOOD["（一）突出组织建设"] in shown
        assert len(drafts(fake)) == asked  # the drafted text was shown, not asked for again
        for _ in range(2):
            again.send("a")
            again.prompt()
        again.send("a")
        code, _ = again.end()
    assert code == 0
    assert (project / "draft.md").read_text(encoding="utf-8") == DRAFT
    assert drafts(fake) == list(GOOD)


def test_ctrl_c_mid_stream_keeps_the_partial_text_and_resume_shows_it(project):
    slow = "今年局机关共开展志愿服务14场，" * 40
    with FakeOpenAI(chunk_delay=0.05, responder=lambda body: slow) as fake:
        term = new_draft(project, fake)
        term.expect(OUTLINE_PROMPT)
        term.send("a")
        term.expect("tokens/s")
        time.sleep(0.5)
        term.child.sendintr()
        stopped = term.prompt()
        assert "incomplete" in stopped and "stopped by the writer" in stopped
        term.child.sendintr()  # at a prompt: leave, saved
        code, tail = term.end()
    assert code == 130
    assert "drafter draft --resume" in tail.replace("\n", "")
    first = section_file(project, 1)
    assert '"status": "incomplete"' in first and "志愿服务14场" in first
    partial = first.split("---\n", 2)[2]
    assert 0 < len(partial) < len(slow)

    with FakeOpenAI(responder=answer) as fake:
        again = Term(project, fake, "draft", "--resume", "latest")
        shown = again.prompt()
        assert "第 1/4 节" in shown and "incomplete" in shown
        assert partial[:30] in shown.replace("\n", "")
        assert drafts(fake) == []
        again.send("a")
        again.expect("accepts it as it is")
        again.send("a")
        again.prompt()
        again.send("q")
        assert again.end()[0] == 0
    assert '"status": "accepted"' in section_file(project, 1)


def test_kill_9_while_streaming_loses_only_that_section(project):
    slow = "对基层组织的指导、督促力度有待加强。" * 40
    def respond(body):
        return slow if section_of(body) == "（一）突出组织建设" else answer(body)

    with FakeOpenAI(chunk_delay=0.05, responder=respond) as fake:
        term = new_draft(project, fake)
        term.expect(OUTLINE_PROMPT)
        term.send("a")
        term.prompt()
        term.send("a")
        term.expect("tokens/s")
        os.kill(term.child.pid, signal.SIGKILL)
        term.child.expect(pexpect.EOF)
        term.child.close()
    assert '"status": "accepted"' in section_file(project, 1)
    assert '"status": "pending"' in section_file(project, 2)
    with FakeOpenAI(responder=answer) as fake:
        again = Term(project, fake, "draft", "--resume")
        assert "第 2/4 节" in again.prompt()
        assert drafts(fake) == ["（一）突出组织建设"]
        again.send("q")
        assert again.end()[0] == 0


# --- the outline ------------------------------------------------------------------------------------


def test_an_outline_edited_into_a_bad_shape_shows_the_line_and_reopens(project, tmp_path):
    count = tmp_path / "opened"
    fix = editor(tmp_path, f"""
        count = pathlib.Path({str(count)!r})
        n = int(count.read_text()) + 1 if count.exists() else 1
        count.write_text(str(n))
        if n == 1:  # a heading two levels down: the parser names the line
            text = text.replace('## 〔开头〕', '## 〔开头〕\\n#### 太深的标题')
        else:  # fixed, and the last section dropped
            text = text.replace('#### 太深的标题\\n', '').replace('\\n## 二、存在的不足\\n', '\\n')
        path.write_text(text, encoding='utf-8')
    """)
    with FakeOpenAI(responder=answer) as fake:
        term = new_draft(project, fake, EDITOR=fix)
        term.expect(OUTLINE_PROMPT)
        term.send("e")
        error = term.expect("back to the editor")
        assert re.search(r"the outline line \d+: '#### 太深的标题'", error.replace("\n", ""))
        term.send("x")
        tree = term.expect(OUTLINE_PROMPT)
        assert count.read_text() == "2"
        assert "（二）突出内涵建设" in tree and "二、存在的不足" not in tree
        term.send("a")
        assert "第 1/3 节" in term.prompt()
        term.send("q")
        assert term.end()[0] == 0
    plan = json.loads((run_dir(project) / "plan.json").read_text(encoding="utf-8"))
    assert [p["path"][-1] for p in plan][-1] == "（二）突出内涵建设，促进中心工作"


def test_quitting_after_editing_the_outline_keeps_the_edit(project, tmp_path):
    fix = editor(tmp_path, "path.write_text(text.replace('- fact: 个人荣誉\\n', ''), encoding='utf-8')\n")
    term = new_draft(project, None, EDITOR=fix)
    term.expect(OUTLINE_PROMPT)
    term.send("e")
    term.expect(OUTLINE_PROMPT)
    term.send("q")
    code, tail = term.end()
    assert code == 0 and "no run was started" in tail
    kept = (project / "draft.outline.md").read_text(encoding="utf-8")
    assert "- fact: 党建集体荣誉" in kept and "个人荣誉" not in kept.split("## 〔开头〕")[1].split("##")[0]
    assert not (project / "home" / "runs").exists() or not list((project / "home" / "runs").iterdir())


# --- bad input --------------------------------------------------------------------------------------


def test_an_editor_that_fails_or_is_missing_keeps_the_text(project, tmp_path):
    failing = editor(tmp_path, "path.write_text('全部删掉', encoding='utf-8')\nsys.exit(3)\n")
    empty_path = tmp_path / "no-editors-here"
    empty_path.mkdir()
    with FakeOpenAI(responder=answer) as fake:
        term = new_draft(project, fake, EDITOR=failing)
        term.expect(OUTLINE_PROMPT)
        term.send("a")
        term.prompt()
        term.send("e")
        said = term.prompt()
        assert "exited with code 3" in said and "previous text is kept" in said
        term.send("q")
        assert term.end()[0] == 0
        assert GOOD["〔开头〕"] in section_file(project, 1)

        again = Term(project, fake, "draft", "--resume", EDITOR=None, VISUAL=None, PATH=str(empty_path))
        again.prompt()
        again.send("e")
        said = again.prompt().replace("\n", " ")
        assert "no editor" in said and "export EDITOR=nano" in said
        again.send("q")
        assert again.end()[0] == 0
    assert GOOD["〔开头〕"] in section_file(project, 1)
    assert len(list((run_dir(project) / "sections").glob("01.v*.md"))) == 1


def test_a_changed_facts_file_is_said_and_accepted_sections_are_checked_again(project):
    facts = project / "facts.yaml"
    shutil.copy(FACTS, facts)
    with FakeOpenAI(responder=answer) as fake:
        term = Term(project, fake, "draft", "--type", "述职", "--facts", str(facts), "--outline", "outline.md",
                    "-o", "draft.md")
        term.expect(OUTLINE_PROMPT)
        term.send("a")
        for _ in range(3):
            term.prompt()
            term.send("a")
        term.prompt()
        term.send("q")
        assert term.end()[0] == 0
        facts.write_text(facts.read_text(encoding="utf-8").replace("value: 23.5小时", "value: 24小时"), encoding="utf-8")

        again = Term(project, fake, "draft", "--resume")
        shown = again.prompt()
        flat = shown.replace("\n", "")
        assert "changed since this run started" in flat
        assert "23.5小时 not in the facts any more" in flat and "第 1 节 〔开头〕: still grounded" in flat
        assert "第 3/4 节" in shown  # reopened: the loop comes back to it
        again.send("q")
        assert again.end()[0] == 0
    assert '"status": "done"' in section_file(project, 3)
    assert runs_json(project)[0]["accepted"] == 2


def test_without_a_terminal_it_says_to_use_yes(project):
    done = subprocess.run([sys.executable, "-m", "drafter", "draft", "--type", "述职", "--facts", str(FACTS),
                           "-o", "x.md"], cwd=project, env=base_env(project), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr and "--yes" in done.stderr


def test_a_missing_run_or_one_of_another_format_is_a_clear_error(project):
    env = base_env(project)
    missing = subprocess.run([sys.executable, "-m", "drafter", "draft", "--resume", "nope"], cwd=project, env=env,
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "no run 'nope'" in missing.stderr
    old = project / "home" / "runs" / "20200101-000000-abcd"
    old.mkdir(parents=True)
    (old / "run.json").write_text(json.dumps({"format": 0, "run_id": old.name}), encoding="utf-8")
    term = Term(project, None, "draft", "--resume", old.name)
    code, tail = term.end()
    assert code == 2 and "run format 0" in tail.replace("\n", "") and "start a new run" in tail.replace("\n", "")


def test_a_dead_endpoint_is_said_at_the_prompt_and_nothing_is_lost(project):
    term = new_draft(project, None)  # nothing listens on 127.0.0.1:9
    term.expect(OUTLINE_PROMPT)
    term.send("a")
    said = term.prompt().replace("\n", "")
    assert "127.0.0.1:9" in said and "r tries again" in said
    term.send("q")
    code, tail = term.end()
    assert code == 0 and "drafter draft --resume" in tail.replace("\n", "")
    first = section_file(project, 1)
    assert '"status": "failed"' in first and "127.0.0.1:9" in first
    with FakeOpenAI(responder=answer) as fake:
        again = Term(project, fake, "draft", "--resume")
        assert GOOD["〔开头〕"] in again.prompt()  # a failed section is drafted again on resume
        again.send("q")
        assert again.end()[0] == 0
