"""Settings: defaults < drafter.toml < DRAFTER_* variables < flags, with errors that say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.config import load_settings
from drafter.errors import ConfigError


def test_defaults(tmp_path):
    s = load_settings(project_dir=tmp_path, env={})
    assert s.data_dir == tmp_path / ".drafter" and s.corpus_path == tmp_path / "corpus"
    assert (s.embed.provider, s.index.chroma_url, s.llm.base_url) == ("e5", "", "")


def test_layers_in_order(tmp_path):
    (tmp_path / "drafter.toml").write_text(
        '[embed]\nthreads = 1\nprovider = "e5"\n[llm]\nmodel = "from-toml"\ntemperature = 0.5\n', encoding="utf-8"
    )
    s = load_settings(project_dir=tmp_path, env={"DRAFTER_LLM_MODEL": "from-env", "DRAFTER_EMBED_THREADS": "3"},
                      overrides={"embed.threads": 4, "llm.temperature": None})
    assert s.llm.model == "from-env"  # env beats the file
    assert s.embed.threads == 4  # a flag beats both
    assert s.llm.temperature == 0.5  # a flag that was not given changes nothing


def test_drafter_home_holds_data_and_a_config(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "drafter.toml").write_text('[index]\ncollection = "office"\n', encoding="utf-8")
    s = load_settings(project_dir=tmp_path, env={"DRAFTER_HOME": str(home), "DRAFTER_CORPUS": "reports"})
    assert s.data_dir == home and s.index.collection == "office"
    assert s.corpus_path == tmp_path / "reports"


def test_local_gguf_variable(tmp_path):
    s = load_settings(project_dir=tmp_path, env={"DRAFTER_LOCAL_GGUF": "/models/office.gguf"})
    assert s.llm.local_gguf == Path("/models/office.gguf")


@pytest.mark.parametrize(
    "toml, env, message",
    [
        ("[embed\nthreads = 1\n", {}, r"drafter.toml"),
        ("[embed]\nthread = 1\n", {}, r"unknown setting 'embed.thread'"),
        ("[nonsense]\nx = 1\n", {}, r"unknown setting 'nonsense'"),
        ("embed = 3\n", {}, r"'embed' must be a table"),
        ("", {"DRAFTER_EMBED_THREADS": "two"}, r"environment: 'embed.threads' must be int, got 'two'"),
        ("", {"DRAFTER_LLM_TEMPERATURE": "warm"}, r"'llm.temperature' must be float"),
    ],
)
def test_bad_settings_say_where(tmp_path, toml, env, message):
    if toml:
        (tmp_path / "drafter.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(project_dir=tmp_path, env=env)


def test_an_api_key_is_never_a_setting(tmp_path):
    (tmp_path / "drafter.toml").write_text('[llm]\napi_key = "sk-123"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting 'llm.api_key'"):
        load_settings(project_dir=tmp_path, env={})


@pytest.mark.parametrize("table", ["llm", "embed"])
def test_a_key_pasted_as_the_variable_name_is_refused_and_not_repeated(tmp_path, table):
    with pytest.raises(ConfigError, match=f"{table}.api_key_env must be the NAME") as info:
        load_settings(project_dir=tmp_path, env={f"DRAFTER_{table.upper()}_API_KEY_ENV": "sk-abc123-secret"})
    assert "sk-abc123-secret" not in str(info.value)
