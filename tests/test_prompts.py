"""Prompt files: front matter, lookup order, strict rendering, and the shipped prompts."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.errors import PromptError
from drafter.llm.client import Message
from drafter.llm.prompts import find_prompt, load_prompt, parse_prompt, search_dirs

REPO_PROMPTS = Path(__file__).resolve().parent.parent / "prompts"

SECTION_VALUES = dict(
    doc_type="述职报告",
    title="2025年度个人述职报告",
    speaker="本人（县农业农村局局长）",
    period="2025年度",
    outline="一、履职情况（当前）\n二、存在的不足\n三、下一步打算",
    section="一、履职情况",
    section_points="粮食生产、高标准农田",
    facts="- 粮食播种面积：58.6万亩\n- 新建高标准农田：3.2万亩",
    written_summary="（无）",
    passages="[1] 全年粮食播种面积X万亩……",
    length="600",
)


def write(dir_: Path, name: str, text: str) -> Path:
    dir_.mkdir(parents=True, exist_ok=True)
    path = dir_ / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped prompts --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["section_chat", "repair_chat", "section_completion", "models_test"])
def test_shipped_prompts_load(name):
    prompt = load_prompt(name, REPO_PROMPTS)
    assert prompt.name == name and prompt.path.parent == REPO_PROMPTS


def test_section_chat_renders_every_part():
    rendered = load_prompt("section_chat", REPO_PROMPTS).render(**SECTION_VALUES)
    assert [m.role for m in rendered.messages] == ["system", "user"]
    system, user = (m.content for m in rendered.messages)
    assert "【待补】" in system and "参考材料" in system and "本人（县农业农村局局长）" in system
    assert "58.6万亩" in user and "<参考材料>\n[1] 全年粮食播种面积X万亩……\n</参考材料>" in user
    assert "${" not in system + user
    request = rendered.request(stage="draft", section="一、履职情况")
    assert request.prompt_name == "section_chat" and request.sha256 == rendered.sha256
    assert request.max_tokens == 1500 and request.temperature == 0.3


def test_repair_chat_renders():
    rendered = load_prompt("repair_chat", REPO_PROMPTS).render(
        section="一、履职情况", draft="全年播种60万亩。", problems="- “全年播种60万亩。”：60万亩 无来源", facts="- 粮食播种面积：58.6万亩"
    )
    assert "只改有问题的句子" in rendered.messages[0].content and "60万亩" in rendered.messages[1].content


def test_section_completion_ends_where_the_model_continues():
    prompt = load_prompt("section_completion", REPO_PROMPTS)
    assert prompt.mode == "completion" and "\n======" in prompt.stop and prompt.separator == "\n\n======\n\n"
    examples = prompt.separator.join(["标题：一、主要工作\n正文：\n全年完成X项。", "标题：二、经验\n正文：\n坚持……"])
    rendered = prompt.render(doc_type="工作总结", examples=examples, section="一、主要工作", facts="完成重点项目12个。")
    assert rendered.messages == () and rendered.text.endswith("正文：")
    assert rendered.request(stage="draft").mode == "completion"


def test_models_test_prompt_is_tiny():
    rendered = load_prompt("models_test", REPO_PROMPTS).render()
    assert rendered.max_tokens and rendered.max_tokens <= 16


# --- rendering ------------------------------------------------------------------------------


def test_missing_variable_names_the_variable_and_the_file():
    prompt = load_prompt("section_chat", REPO_PROMPTS)
    values = {k: v for k, v in SECTION_VALUES.items() if k != "facts"}
    with pytest.raises(PromptError) as info:
        prompt.render(**values)
    assert "${facts}" in str(info.value) and "section_chat.md" in str(info.value)


def test_unknown_variable_is_an_error(tmp_path):
    write(tmp_path, "p", "---\nname: p\nvariables: [a]\n---\n${a}\n")
    with pytest.raises(PromptError, match=r"has no variable \$\{b\}"):
        load_prompt("p", tmp_path).render(a="1", b="2")


def test_values_must_be_text(tmp_path):
    write(tmp_path, "p", "---\nvariables: [a]\n---\n${a}\n")
    with pytest.raises(PromptError, match=r"\$\{a\} must be text, got list"):
        load_prompt("p", tmp_path).render(a=["x"])  # type: ignore[arg-type]


def test_chinese_braces_and_dollars_are_safe(tmp_path):
    body = "---\nvariables: [n]\n---\n格式：{标题}｛正文｝ {0} 费用$$5，共${n}项\n"
    rendered = load_prompt("p", write(tmp_path, "p", body).parent).render(n=3)
    assert rendered.messages == (Message("user", "格式：{标题}｛正文｝ {0} 费用$5，共3项"),)


def test_values_are_not_expanded_again(tmp_path):
    write(tmp_path, "p", "---\nvariables: [a]\n---\n${a}\n")
    assert load_prompt("p", tmp_path).render(a="${b} {c} $").messages[0].content == "${b} {c} $"


def test_roles_split_into_messages(tmp_path):
    body = "---\nvariables: [q]\n---\n[[system]]\n规则\n[[user]]\n例\n[[assistant]]\n答\n[[user]]\n${q}\n"
    rendered = load_prompt("p", write(tmp_path, "p", body).parent).render(q="问")
    assert [(m.role, m.content) for m in rendered.messages] == [("system", "规则"), ("user", "例"), ("assistant", "答"), ("user", "问")]


def test_hash_follows_the_rendered_text(tmp_path):
    write(tmp_path, "p", "---\nvariables: [a]\n---\n${a}\n")
    prompt = load_prompt("p", tmp_path)
    assert prompt.render(a="1").sha256 == prompt.render(a="1").sha256 != prompt.render(a="2").sha256


# --- malformed files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter\n", "has no front matter"),
        ("---\nvariables: [a]\nbody without end\n", "not closed"),
        ("---\nvariables: [a\n---\n${a}\n", "not valid YAML"),
        ("---\nmode: poem\n---\nx\n", "mode must be chat or completion"),
        ("---\nvariables: [a]\n---\n${b}\n", r"uses undeclared \$\{b\}"),
        ("---\nvariables: [a, b]\n---\n${a}\n", r"declares \$\{b\} but never uses it"),
        ("---\n---\n价格 $5\n", "a '\\$' that is not"),
        ("---\ncolour: red\n---\nx\n", "unknown front-matter key 'colour'"),
        ("---\nname: other\n---\nx\n", "front matter says name 'other'"),
        ("---\nmode: completion\n---\n[[user]]\nx\n", "a completion prompt has no"),
        ("---\n---\npreamble\n[[user]]\nx\n", "text before the first"),
        ("---\nstop: [1]\n---\nx\n", "stop must be a list"),
        ("---\nmax_tokens: many\n---\nx\n", "max_tokens must be a number"),
    ],
)
def test_malformed_prompt_files(tmp_path, text, message):
    path = write(tmp_path, "p", text)
    with pytest.raises(PromptError, match=message) as info:
        parse_prompt(path)
    assert str(path) in str(info.value)


# --- lookup ---------------------------------------------------------------------------------


def test_project_prompts_override_the_shipped_ones(tmp_path):
    # conftest's autouse fixture made tmp_path the working directory
    write(tmp_path / "prompts", "models_test", "---\n---\n本地版本\n")
    assert find_prompt("models_test") == tmp_path / "prompts" / "models_test.md"
    assert load_prompt("models_test").render().messages[0].content == "本地版本"


def test_shipped_prompts_are_found_from_anywhere(tmp_path):
    assert find_prompt("section_chat") == REPO_PROMPTS / "section_chat.md"
    dirs = search_dirs()
    assert dirs[0] == tmp_path / "prompts"  # an office's own copies come first
    assert dirs[-1] == REPO_PROMPTS  # the checkout's, for an editable install (a wheel ships them in the package)


def test_unknown_prompt_says_where_it_looked(tmp_path):
    with pytest.raises(PromptError, match=r"no prompt named 'nope': looked for nope.md in .*prompts"):
        load_prompt("nope")


def test_prompt_names_cannot_walk_paths():
    with pytest.raises(PromptError, match="not valid"):
        load_prompt("../secrets")
