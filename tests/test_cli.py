"""The command line (kamwidgets.cli): one table of sub-commands, the same behind both ways of starting it."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kamwidgets import cli

from .conftest import ROOT


def test_the_installed_command_and_python_m_start_the_same_main():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["kamwidgets"] == "kamwidgets.cli:main"
    assert "from .cli import main" in (ROOT / "kamwidgets" / "__main__.py").read_text(encoding="utf-8")
    by_module = subprocess.run([sys.executable, "-m", "kamwidgets", "--help"], capture_output=True, text=True)
    command = Path(sys.executable).with_name("kamwidgets")
    if command.exists():  # the environment's own script (made by pip from the entry above)
        by_script = subprocess.run([str(command), "--help"], capture_output=True, text=True)
        assert by_script.stdout == by_module.stdout
    assert by_module.returncode == 0
    for each in cli.COMMANDS:
        assert each.name in by_module.stdout and each.help.split()[0] in by_module.stdout


def test_every_row_of_the_table_is_a_sub_command_with_its_arguments():
    args = cli.parser().parse_args(["reports", "p.csv", "--buckets", "key"])
    assert (args.command, args.portfolio, args.buckets, args.out, args.workbook) == (
        "reports",
        "p.csv",
        "key",
        "reports",
        "default",
    )
    assert cli.parser().parse_args(["lessons", "f", "--force"]).force is True
    assert cli.parser().parse_args(["room", "f"]).room is None
    with pytest.raises(SystemExit):
        cli.parser().parse_args(["nothing"])


def test_a_command_that_cannot_start_says_why_and_exits_with_2(tmp_path, capsys):
    assert cli.main(["reports", str(tmp_path / "none.csv"), "--out", str(tmp_path / "r")]) == 2
    assert capsys.readouterr().err.startswith("kamwidgets: ")
    settings = tmp_path / "s.json"
    settings.write_text("{not json", encoding="utf-8")
    sample = ROOT / "data" / "sample_portfolio.csv"
    assert cli.main(["reports", str(sample), "--settings", str(settings), "--out", str(tmp_path / "r")]) == 2
    assert not (tmp_path / "r").exists()  # nothing written
