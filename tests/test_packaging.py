"""The install files agree, the scripts exist, and the import stays light."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from .conftest import ROOT


def _split(spec: str) -> tuple[str, str]:
    """(name, version spec); pip extras such as [binary] are not part of the name."""
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^\]]*\])?\s*(.*)$", spec)
    assert m, spec
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_side = dict(_split(s) for s in project["dependencies"] + project["optional-dependencies"]["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    conda_side = {}
    pip_section = None
    for item in env["dependencies"]:
        if isinstance(item, dict):
            pip_section = item["pip"]
            continue
        name, spec = _split(item)
        if name not in ("python", "pip"):
            conda_side[name] = spec
    assert pip_section is not None and pip_section[-1] == "--editable ."  # the package itself
    from_pip = dict(_split(s) for s in pip_section[:-1])  # what conda-forge does not have
    assert {**conda_side, **from_pip} == pip_side and not set(conda_side) & set(from_pip)
    python = next(_split(i)[1] for i in env["dependencies"] if isinstance(i, str) and i.startswith("python"))
    assert python == project["requires-python"]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "bash .ci/test" in readme and "bash .ci/lab" in readme
    assert "bash .ci/test" in (ROOT / ".ci" / "run").read_text()
    assert "00_start_here.ipynb" in (ROOT / ".ci" / "lab").read_text()


def _fresh_python(code: str, *args: str) -> subprocess.CompletedProcess:
    """``code`` run by a new interpreter (nothing imported yet), with ``args``; its output as text."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)


def test_import_is_light():
    code = (
        "import sys, kamwidgets; heavy = [m for m in ('plotly', 'ipywidgets', 'openpyxl', 'IPython') "
        "if m in sys.modules]; print(heavy)"
    )
    out = _fresh_python(code)
    assert out.stdout.strip() == "[]"


def test_the_models_tools_load_when_first_named_and_are_listed_before():
    code = (
        "import sys, kamwidgets as kw; before = 'kamwidgets.model.swot' in sys.modules; "
        "listed = 'swot' in dir(kw.model); from kamwidgets.model import plans; "
        "print(before, listed, kw.model.swot.__name__, plans.__name__)"
    )
    out = _fresh_python(code)
    assert out.stdout.split() == ["False", "True", "kamwidgets.model.swot", "kamwidgets.model.plans"]


def test_a_sqlite_workbook_loads_no_database_library_but_sqlite3(tmp_path):
    # every lesson opens the store at the start: on SQLite it pays for the standard library's module only
    code = (
        "import sys, kamwidgets as kw; store = kw.Store(sys.argv[1]); store.save('x', {'a': 1}); "
        "assert store.load('x') == {'a': 1}; store.history(); store.contents(); "
        "print([m for m in ('sqlalchemy', 'psycopg') if m in sys.modules], 'sqlite3' in sys.modules)"
    )
    out = _fresh_python(code, str(tmp_path / "w.sqlite"))
    assert out.stdout.strip() == "[] True"


def test_charts_load_on_first_use():
    code = "import kamwidgets as kw; f = kw.portfolio_matrix; import sys; print('plotly' in sys.modules)"
    out = _fresh_python(code)
    assert out.stdout.strip() == "True"


def test_every_model_module_is_there_in_a_fresh_kernel():
    code = (
        "import kamwidgets as kw; "
        "print(sorted(m for m in ('buyers','contacts','criteria','dmu','io','plans','quiz','readiness','spectrum',"
        "'stakeholders','swot') if hasattr(kw.model, m)), callable(kw.model.classify))"
    )
    out = _fresh_python(code)
    assert out.stdout.count("'") == 22 and out.stdout.strip().endswith("True")


def test_the_readmes_example_runs_on_the_sample(tmp_path, monkeypatch):
    """The README's ten lines, run as written on the sample portfolio (its file name swapped for the sample's)."""
    import re

    import kamwidgets as kw

    readme = (ROOT / "README.md").read_text()
    block = re.search(r"## In ten lines\n\n```python\n(.*?)```", readme, re.S).group(1)
    assert len([line for line in block.splitlines() if line.strip()]) <= 12
    assert "crm_export.csv" in block
    monkeypatch.chdir(tmp_path)
    (tmp_path / "crm_export.csv").write_bytes(kw.sample_path("portfolio").read_bytes())
    space: dict = {}
    exec(compile(block, "README.md", "exec"), space)  # noqa: S102 - the project's own README
    placed, bench = space["placed"], space["bench"]
    assert len(placed) == 30 and (placed["segment"] == "Key account").any() and (placed["placed_by"] == "rule").any()
    assert bench.controls["revenue"].value == 80 and len(bench.value) == 30


def test_the_readme_is_one_screen_and_its_links_exist():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 200
    for target in re.findall(r"\]\(([^)#]+)", readme):
        assert (ROOT / target).exists(), target


def test_the_source_distribution_carries_what_the_wheel_copies():
    """setup.py copies kamwidgets/_shipped.py's SHIPPED files into the wheel; a wheel built from the source
    distribution can only copy what MANIFEST.in put in it."""
    from kamwidgets._shipped import SHIPPED

    manifest = (ROOT / "MANIFEST.in").read_text()
    for source, (_, patterns) in SHIPPED.items():
        for pattern in patterns:
            folder, _, name = f"{source}/{pattern}".rpartition("/")
            assert re.search(
                rf"\b{re.escape(folder)}\b.*{re.escape(name)}|{re.escape(f'{source}/{pattern}')}", manifest
            ), f"MANIFEST.in does not carry {source}/{pattern}"
