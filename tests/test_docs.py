"""The documentation agrees with the project: links lead somewhere, the names it gives exist, every variable is listed.

README.md, docs/*.md and deploy/README.md are read as a user or the next
engineer finds them: a relative link must open a file of the checkout (and
its ``#anchor`` a heading there); a path of the project (``kamwidgets/...``,
``tests/...``) or a dotted name (``kamwidgets.x.y``, ``kw.name``) written in
backticks must exist; every environment variable that ``kamwidgets/``,
``.ci/`` or ``deploy/`` reads must have its row in ``docs/configuration.md``;
the layout in ``docs/development.md`` must name files that are there; and
the library's table in ``docs/reference.md`` must name public names with the
arguments they take.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

import kamwidgets
from kamwidgets import config

from .conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "deploy" / "README.md"]
CONFIGURATION = ROOT / "docs" / "configuration.md"

FENCE = re.compile(r"^```.*?^```[ \t]*$", re.S | re.M)
CODE_SPAN = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"!?\[(?:[^\]\n]|\n(?!\n))*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)

#: The folders of the checkout a path written in backticks may start with (relative to the top of it).
TOP_FOLDERS = ("kamwidgets", "tests", "benchmarks", "deploy", "data", "docs", "notebooks", ".ci", "jupyter-data")
PROJECT_PATH = re.compile(r"(?<![\w./-])((?:" + "|".join(map(re.escape, TOP_FOLDERS)) + r")/[\w./*-]*)")
DOTTED = re.compile(r"(?<![\w.])(kamwidgets|kw)((?:\.\w+)+)")

#: Paths in backticks that a checkout does not hold, and why.
NOT_IN_A_CHECKOUT = {
    "benchmarks/results/": "written by the first benchmark run on a machine; each later run is compared with it",
}
#: Words of the layout in docs/development.md that look like file names but are not the project's, and why.
NOT_FILES = {
    "plotly.js": "plotly's front end, which the lessons' page loads",
}
#: Dotted names in backticks that are not Python names, and why.
NOT_PYTHON_NAMES = {
    "kamwidgets.sqlite": "the store's default file name, not a module",
}

ENV_VARIABLE = re.compile(r"\b(?:KAMWIDGETS|KAM)_[A-Z0-9_]*[A-Z0-9]\b")
TABLE_ROW = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", re.M)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _prose(text: str) -> str:
    """Markdown without its fenced code blocks."""
    return FENCE.sub("", text)


def _code(text: str) -> list[str]:
    """What Markdown writes in backticks: its code spans, and its fenced blocks line by line."""
    blocks = [line for block in FENCE.findall(text) for line in block.splitlines()[1:-1]]
    return CODE_SPAN.findall(_prose(text)) + blocks


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: its words, lower case, joined by hyphens.

    >>> slug("A workshop server's capacity")
    'a-workshop-servers-capacity'
    >>> slug("Export and import: `store.export`")
    'export-and-import-storeexport'
    """
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text only
    text = re.sub(r"[^\w\- ]", "", text.replace("`", "").lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings."""
    return own(_text(path))


def own(text: str) -> set[str]:
    """The anchors of the headings of Markdown ``text`` (a repeated heading gets -1, -2 ...)."""
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(_prose(text)):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


def broken_links(path: Path, text: str) -> list[str]:
    """The relative links of a Markdown file (``text`` at ``path``) that lead nowhere: no such file or heading."""
    broken = []
    for target in LINK.findall(_prose(text)):
        if SCHEME.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{target} (no {linked})")
        elif anchor and linked.suffix == ".md" and anchor not in (anchors(linked) if file_part else own(text)):
            broken.append(f"{target} (no heading '#{anchor}' in {_rel(linked)})")
    return broken


def missing_paths(text: str) -> list[str]:
    """Paths of the checkout written in backticks that it does not hold."""
    missing = []
    for code in _code(text):
        for found in PROJECT_PATH.findall(code):
            written = found.rstrip(".,;:")
            if written in NOT_IN_A_CHECKOUT:
                continue
            if not (any(ROOT.glob(written)) if "*" in written else (ROOT / written).exists()):
                missing.append(written)
    return missing


def resolve(dotted: str) -> object:
    """The object a dotted name written in the docs names: ``kw.`` is ``kamwidgets.``; modules are imported.

    >>> resolve("kw.model.io.preview").__name__
    'preview'
    """
    parts = dotted.split(".")
    found: object = kamwidgets
    for part in parts[1:]:
        if hasattr(found, part):
            found = getattr(found, part)
        elif isinstance(found, ModuleType):
            found = importlib.import_module(f"{found.__name__}.{part}")
        else:
            raise AttributeError(f"{dotted}: {type(found).__name__} has no {part!r}")
    return found


def elsewhere(dotted: str) -> str | None:
    """For ``kamwidgets.a.b.name`` naming a function or class that module ``a.b`` only imports: where it lives.

    A package (``kamwidgets.store``) re-exports its public names on purpose;
    a plain module that imports a name from another is not where the name
    lives, and a reader sent there finds an import line.  ``kw.`` names are
    the public ones, wherever they live.
    """
    found = resolve(dotted)
    module_name, _, _ = dotted.rpartition(".")
    if not dotted.startswith("kamwidgets.") or "." not in module_name:
        return None
    module = resolve(module_name)
    if not (inspect.isfunction(found) or inspect.isclass(found)) or not isinstance(module, ModuleType):
        return None
    if hasattr(module, "__path__") or found.__module__ == module.__name__:
        return None
    return f"{found.__module__}.{found.__name__}"


def missing_names(text: str) -> list[str]:
    """Dotted names in backticks that Python cannot find, or that name a module the name only passes through."""
    missing = []
    for code in _code(text):
        for head, tail in DOTTED.findall(code):
            dotted = head + tail
            if dotted in NOT_PYTHON_NAMES:
                continue
            try:
                lives = elsewhere(dotted)
            except (ImportError, AttributeError) as err:
                missing.append(f"{dotted} ({err})")
                continue
            if lives:
                missing.append(f"{dotted} (it lives in {lives})")
    return missing


@pytest.mark.parametrize("doc", DOCS, ids=_rel)
def test_every_relative_link_leads_to_a_file_and_heading_of_the_checkout(doc):
    assert broken_links(doc, _text(doc)) == [], f"{_rel(doc)}: links that lead nowhere"


@pytest.mark.parametrize("doc", DOCS, ids=_rel)
def test_every_path_written_in_backticks_is_in_the_checkout(doc):
    assert missing_paths(_text(doc)) == [], f"{_rel(doc)}: paths the checkout does not hold"


@pytest.mark.parametrize("doc", DOCS, ids=_rel)
def test_every_dotted_name_written_in_backticks_exists(doc):
    assert missing_names(_text(doc)) == [], f"{_rel(doc)}: names that do not exist"


def test_the_checks_find_what_they_look_for():
    """A broken link, a heading that is not there, a path and a name that do not exist: each is found."""
    doc = ROOT / "docs" / "store.md"  # where the text is read as if it were, so that its neighbours resolve
    text = (
        "# Title\n\n[ok](configuration.md) [ok](#title) [gone](docs/nothing.md) [no heading](performance.md#nowhere)\n"
        "[ok](performance.md#the-library) [not here](#elsewhere)\n"
        "`kamwidgets/widgets/nothing.py` `kw.classify` `kw.no_such_name` `kamwidgets.store.Store.save`\n"
        "`kamwidgets.store.share_by_role` `kamwidgets.page_assets.wait_for_page`\n"
        "```python\nkw.balance(x)  # kamwidgets.model.nothing\n```\n"
    )
    broken = [b.split(" ")[0] for b in broken_links(doc, text)]
    assert broken == ["docs/nothing.md", "performance.md#nowhere", "#elsewhere"]
    assert missing_paths(text) == ["kamwidgets/widgets/nothing.py"]
    missing = missing_names(text)
    assert missing[0].startswith("kw.no_such_name (")
    assert missing[1:] == [
        "kamwidgets.page_assets.wait_for_page (it lives in kamwidgets.preheat.wait_for_page)",
        "kamwidgets.model.nothing (No module named 'kamwidgets.model.nothing')",
    ]


# ------------------------------------------------------------------ the library's table in docs/reference.md

CALL = re.compile(r"^([A-Za-z_]\w*)(?:\((.*)\))?$")


def _arguments(written: str) -> list[str]:
    """The argument names of a call as the table writes it: ``a, b=, c=(5, 5), *more`` gives a, b, c."""
    names, depth, current = [], 0, ""
    for ch in written + ",":
        depth += (ch in "([{") - (ch in ")]}")
        if ch == "," and depth == 0:
            named = re.match(r"\s*([A-Za-z_]\w*)\s*(?:=|$)", current)
            if named:
                names.append(named.group(1))
            current = ""
        else:
            current += ch
    return names


def library_table() -> list[tuple[str, list[str]]]:
    """Each name in the first column of docs/reference.md's tables, with the arguments written for it."""
    found = []
    for first_cell in re.findall(r"^\|(.+?)\|", _prose(_text(ROOT / "docs" / "reference.md")), re.M):
        for span in CODE_SPAN.findall(first_cell):
            call = CALL.match(span)
            if call:
                found.append((call.group(1), _arguments(call.group(2) or "")))
    return found


def test_the_library_table_names_public_names_with_the_arguments_they_take():
    assert len(library_table()) > 30, "docs/reference.md's table of the library was not found"
    wrong = []
    for name, arguments in library_table():
        if not hasattr(kamwidgets, name):
            wrong.append(f"{name}: not a name of kamwidgets")
            continue
        taken = inspect.signature(getattr(kamwidgets, name)).parameters
        wrong += [f"{name}({a}=): no such argument" for a in arguments if a not in taken]
    assert wrong == [], "docs/reference.md's table of the library and the library disagree"


def test_the_argument_reader_reads_the_tables_way_of_writing_calls():
    assert _arguments("source, columns=, sheet=, make_ids=") == ["source", "columns", "sheet", "make_ids"]
    assert _arguments('thresholds=(5, 5), scale="rank"/"minmax", their=[...]') == ["thresholds", "scale", "their"]
    assert _arguments("") == []


# ------------------------------------------------------------------ environment variables


def _documented() -> list[str]:
    return TABLE_ROW.findall(CONFIGURATION.read_text(encoding="utf-8"))


def _sources(*folders: str) -> list[Path]:
    """The files of these folders of the checkout that code reads (its Markdown is documentation)."""
    return [
        p
        for folder in folders
        for p in sorted((ROOT / folder).rglob("*"))
        if p.is_file() and p.suffix not in {".md", ".pyc", ".png", ".ipynb", ".csv", ".xlsx", ".sqlite"}
    ]


def variables_read(*folders: str) -> dict[str, str]:
    """Every ``KAMWIDGETS_*`` and ``KAM_*`` name in the code of these folders, with a file that names it."""
    found: dict[str, str] = {}
    for path in _sources(*folders):
        for name in ENV_VARIABLE.findall(path.read_text(encoding="utf-8", errors="replace")):
            found.setdefault(name, _rel(path))
    return found


def test_every_variable_read_in_the_package_the_scripts_and_the_hub_is_in_the_configuration_table():
    documented = set(_documented())
    read = variables_read("kamwidgets", ".ci", "deploy")
    read.update({getattr(config, n): "kamwidgets/config.py" for n in config.__all__ if n.isupper()})
    missing = {name: where for name, where in read.items() if name not in documented}
    assert missing == {}, "read but not in docs/configuration.md's tables (name: a file that reads it)"


def test_every_variable_in_the_configuration_table_is_read_somewhere_and_listed_once():
    documented = _documented()
    assert len(documented) == len(set(documented)), "a variable has two rows in docs/configuration.md"
    code = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in _sources("kamwidgets", ".ci", "deploy"))
    code += "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("*.py") if p.name != "test_docs.py")
    unread = [name for name in documented if not re.search(rf"\b{name}\b", code)]
    assert unread == [], "in docs/configuration.md but read nowhere: remove the row, or say where it is read"


def test_the_workshop_servers_own_readme_sends_its_reader_to_the_configuration_table():
    assert "../docs/configuration.md" in (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")


# ------------------------------------------------------------------ the layout in docs/development.md

LAYOUT_NAME = re.compile(
    r"(?<![\w.<>-])(\.?[\w-]+(?:/[\w.-]*)+|[\w-]+\.(?:py|js|mjs|css|md|txt|json|j2|toml)\b|_[a-z]\w*)"
)


def _layout() -> list[str]:
    text = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    section = text.split("## Layout", 1)[1]
    return section.split("```", 2)[1].splitlines()[1:]


def near(name: str, entry: Path) -> Path | None:
    """What ``name`` (``x.py``, ``_x``, ``x/y/``) is in the layout: a file or folder in the entry's folder or
    one above it, up to the top of the checkout; None when there is none."""
    folder = entry if entry.is_dir() else entry.parent
    for base in (folder, *folder.parents):
        for candidate in (base / name, base / f"{name}.py"):
            if candidate.exists():
                return candidate
        if base == ROOT:
            break
    return None


def _layout_entries() -> list[tuple[Path, str]]:
    """The layout's lines, each with the path its entry starts with (the first word of its first line)."""
    entries, entry = [], ROOT
    for line in _layout():
        if line and not line[0].isspace():
            first, _, line = line.partition(" ")
            entry = ROOT / first
            entries.append((entry, first))
        entries.append((entry, line))
    return entries


def layout_missing() -> list[str]:
    """What the layout names that is not there."""
    missing = []
    for entry, text in _layout_entries():
        names = [text] if (ROOT / text) == entry else LAYOUT_NAME.findall(text)
        for name in names:
            written = name if (ROOT / name) == entry else f"{_rel(entry)}/{name}"
            if name not in NOT_FILES and written not in NOT_IN_A_CHECKOUT and near(name, entry) is None:
                missing.append(written)
    return missing


def test_the_layout_in_development_md_names_files_that_are_there():
    assert _layout(), "docs/development.md has no layout block under '## Layout'"
    assert layout_missing() == [], "docs/development.md's layout names what is not there"


IDENTIFIER = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w./-])")


def named_in_layout() -> list[tuple[str, Path | None]]:
    """Each function the layout names (``file_stem``), with the module named last before it in its entry."""
    found: list[tuple[str, Path | None]] = []
    owner: Path | None = None
    for entry, text in _layout_entries():
        if (ROOT / text) == entry:  # an entry's first line: its own path
            owner = entry if entry.suffix == ".py" else None
            continue
        tokens = sorted(
            [(m.start(), m.group(0), False) for m in LAYOUT_NAME.finditer(text)]
            + [(m.start(), m.group(0), True) for m in IDENTIFIER.finditer(text)]
        )
        for _, token, is_name in tokens:
            if is_name:
                found.append((token, owner))
            elif (module := near(token, entry)) is not None and module.suffix == ".py":
                owner = module
    return found


def layout_misplaced() -> list[str]:
    """Functions the layout names that are not defined in the module it names with them."""
    modules = {p: p.read_text(encoding="utf-8") for p in (ROOT / "kamwidgets").rglob("*.py")}
    wrong = []
    for name, owner in named_in_layout():
        where = modules.get(owner, "") if owner else "\n".join(modules.values())
        if not re.search(rf"^(?:def|class) {name}\b|^{name} =", where, re.M):
            wrong.append(f"{name} (in {_rel(owner) if owner else 'kamwidgets/'})")
    return wrong


def test_the_layout_puts_each_function_it_names_in_the_module_it_names():
    assert ("file_stem", ROOT / "kamwidgets" / "_files.py") in named_in_layout()
    assert layout_misplaced() == [], "docs/development.md's layout names a function that is not in the module it names"


def test_the_layout_checks_find_a_file_that_is_not_there_and_a_function_in_another_module(monkeypatch):
    layout = [
        "kamwidgets/widgets/    thin ipywidgets: _transfer.py (uploads, downloads, the one file-name rule: file_stem),",
        "                       _gone.py (nothing), _base.py (KamWidget)",
        "kamwidgets/nowhere/    nothing",
        "kamwidgets/_files.py   the one file-name rule (file_stem)",
    ]
    monkeypatch.setattr(sys.modules[__name__], "_layout", lambda: layout)
    assert layout_missing() == ["kamwidgets/widgets/_gone.py", "kamwidgets/nowhere/"]
    assert layout_misplaced() == ["file_stem (in kamwidgets/widgets/_transfer.py)"]
