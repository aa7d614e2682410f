"""The shape of the code the next engineer reads: no function over 60 lines of code.

Docstrings, blank lines and comment lines do not count. The JavaScript has the same rule in ESLint
(``max-lines-per-function`` in ``eslint.config.js``).
"""

from __future__ import annotations

import ast

from .conftest import ROOT

LIMIT = 60
FOLDERS = ("kamwidgets", "benchmarks", "tests", "deploy", "docs", "data", ".ci")


def code_lines(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of ``node`` that hold code: its docstring, blank lines and comment lines aside."""
    doc: set[int] = set()
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        doc = set(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    end = node.end_lineno or node.lineno
    return sum(
        1
        for number in range(node.lineno, end + 1)
        if number not in doc and lines[number - 1].strip() and not lines[number - 1].strip().startswith("#")
    )


def long_functions() -> list[str]:
    found = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if any(part in (".venv", "node_modules", "__pycache__") for part in path.parts):
                continue
            source = path.read_text(encoding="utf-8")
            lines = source.splitlines()
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    n = code_lines(lines, node)
                    if n > LIMIT:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({n} lines)")
    return found


def test_the_counter_counts_code_not_docstrings_or_comments():
    source = 'def f():\n    """Doc\n    string."""\n    # a comment\n\n    a = 1\n    return a\n'
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.FunctionDef)
    assert code_lines(source.splitlines(), node) == 3  # def, a = 1, return


def test_no_function_is_over_60_lines_of_code():
    assert long_functions() == [], "split these into named steps"
