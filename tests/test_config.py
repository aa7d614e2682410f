"""kamwidgets.config: every environment variable read in one place, when it is asked for, and bad values said."""

from __future__ import annotations

import ast
import re

import pytest

from kamwidgets import _page_kernel, config
from kamwidgets.errors import KamDataError

from .conftest import ROOT

#: (variable, function, value set, what the function gives for it, what it gives when the variable is unset)
READS = [
    (config.DB_URL, config.store_url, "postgresql://kam@db/kam", "postgresql://kam@db/kam", None),
    (config.KEEP_LAST, config.keep_last, " 7 ", 7, 50),
    (config.WORKBOOK, config.workbook, " Team B ", "Team B", ""),
    (config.HUB_USER, config.hub_user, "ann", "ann", ""),
    (config.ROOM, config.room, " /Workshop/ ", "Workshop", ""),
    (config.QUERY_STRING, config.query_string, "workbook=Ann", "workbook=Ann", None),
    (config.VOILA_PREHEAT, config.voila_kernel, "False", True, False),
    (config.VOILA_PREHEAT, config.voila_preheated, "True", True, False),
    (config.DRAW_AT_ONCE, config.draw_at_once, "1", True, False),
    (config.LOG_DRAWS, config.log_draws, "1", True, False),
    (config.UPLOAD_LIMIT_MB, config.upload_limit, "2.5", int(2.5 * 2**20), 100 * 2**20),
    (config.POOL, config.lesson_pools, "14:12, 15_wrap_up.ipynb:0,", {"14": 12, "15_wrap_up.ipynb": 0}, {}),
]


@pytest.mark.parametrize(("name", "read", "value", "given", "unset"), READS, ids=lambda x: getattr(x, "__name__", None))
def test_each_variable_is_read_when_asked_for_not_at_import(monkeypatch, name, read, value, given, unset):
    monkeypatch.delenv(name, raising=False)
    assert read() == unset
    monkeypatch.setenv(name, value)  # set after kamwidgets.config was imported
    assert read() == given
    monkeypatch.delenv(name)
    assert read() == unset


def test_values_that_mean_not_set(monkeypatch):
    monkeypatch.setenv(config.DB_URL, "  ")
    monkeypatch.setenv(config.KEEP_LAST, "")
    monkeypatch.setenv(config.DRAW_AT_ONCE, "0")
    monkeypatch.setenv(config.VOILA_PREHEAT, "False")
    assert config.store_url() is None and config.keep_last() == 50
    assert config.draw_at_once() is False and config.voila_preheated() is False
    monkeypatch.setenv(config.QUERY_STRING, "")  # a Voila page without a query: still the app view
    assert config.query_string() == ""
    monkeypatch.setenv(config.KEEP_LAST, "0")
    assert config.keep_last() == 0  # every version


@pytest.mark.parametrize(
    ("name", "read", "bad", "fix"),
    [
        (config.KEEP_LAST, config.keep_last, "many", "50"),
        (config.KEEP_LAST, config.keep_last, "-3", "50"),
        (config.KEEP_LAST, config.keep_last, "2.5", "50"),
        (config.UPLOAD_LIMIT_MB, config.upload_limit, "lots", "100"),
        (config.UPLOAD_LIMIT_MB, config.upload_limit, "0", "100"),
        (config.UPLOAD_LIMIT_MB, config.upload_limit, "-1", "100"),
        (config.UPLOAD_LIMIT_MB, config.upload_limit, "inf", "100"),
        (config.UPLOAD_LIMIT_MB, config.upload_limit, "nan", "100"),
        (config.DRAW_AT_ONCE, config.draw_at_once, "yes", "1"),
        (config.LOG_DRAWS, config.log_draws, "on", "1"),
        (config.POOL, config.lesson_pools, "14", "14:12"),
        (config.POOL, config.lesson_pools, "14:twelve", "14:12"),
        (config.POOL, config.lesson_pools, ":12", "14:12"),
        (config.POOL, config.lesson_pools, "14:-1", "14:12"),
        (config.POOL, config.lesson_pools, "14:65", "14:12"),
        (config.POOL, config.lesson_pools, "14:\u00b2", "14:12"),  # a digit to Python, not a number
    ],
)
def test_a_bad_value_is_refused_naming_the_variable_and_a_fix(monkeypatch, name, read, bad, fix):
    monkeypatch.setenv(name, bad)
    with pytest.raises(KamDataError) as err:
        read()
    assert f"{name}={bad!r}" in err.value.problem and fix in (err.value.fix or "")


def test_the_store_reads_its_variables_through_config(monkeypatch, tmp_path):
    from kamwidgets.store import Store

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(config.DB_URL, str(tmp_path / "team.sqlite"))
    monkeypatch.setenv(config.KEEP_LAST, "2")
    store = Store()
    assert store.location == str(tmp_path / "team.sqlite") and store.keep_last == 2
    monkeypatch.setenv(config.KEEP_LAST, "-1")
    with pytest.raises(KamDataError, match="KAMWIDGETS_KEEP_LAST='-1'"):
        Store()


def _reads_the_environment(tree: ast.AST) -> list[int]:
    """Lines that read the environment (os.environ, os.getenv, a name imported from os for it)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb", "getenvb"):
            lines.append(node.lineno)
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            if {a.name for a in node.names} & {"environ", "getenv", "environb", "getenvb"}:
                lines.append(node.lineno)
    return lines


def test_no_other_module_of_the_package_reads_the_environment():
    readers = {}
    for path in sorted((ROOT / "kamwidgets").rglob("*.py")):
        if path.name == "config.py" or "lessons" in path.parts:
            continue
        if path.name == "_page_kernel.py":  # runs before the package may be imported: its own copies of the names
            assert (_page_kernel.SCRIPT_NAME, _page_kernel.VOILA_PREHEAT) == (config.SCRIPT_NAME, config.VOILA_PREHEAT)
            continue
        lines = _reads_the_environment(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            readers[str(path.relative_to(ROOT))] = lines
    assert readers == {}, "read environment variables through kamwidgets.config (and add them to its table)"


def test_every_variable_is_in_the_table_of_docs_configuration():
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    # the package's own table; the scripts', the hub's and the tests' follow it (tests/test_docs.py checks those)
    table = text.split("\n## The package\n", 1)[1].split("\n## ", 1)[0]
    rows = set(re.findall(r"^\| `([A-Z_]+)` \|", table, flags=re.MULTILINE))
    names = {getattr(config, n) for n in config.__all__ if n.isupper()}
    assert rows == names
