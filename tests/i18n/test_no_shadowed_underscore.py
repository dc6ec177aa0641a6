"""A module that imports `_` never binds `_` in a function: `name, _ = ...` or `for _ in ...`
makes `_` local to the whole function, and a `_("...")` in it fails (UnboundLocalError, or
"str is not callable"). mypy sees it outside ui/ only; this looks at every module."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "outreach_app"


def _imports_underscore(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "outreach_app.i18n"
        and any(alias.name == "_" and alias.asname is None for alias in node.names)
        for node in tree.body
    )


def _binds_underscore(function: ast.AST) -> bool:
    """`_` bound in the function's own scope (not in a nested function, lambda or
    comprehension, which have scopes of their own)."""
    own_scope = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    comprehensions = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
    arguments = function.args  # type: ignore[attr-defined]
    names = [a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]
    names += [a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None]
    if "_" in names:
        return True
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, own_scope + comprehensions):
            continue
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
            return True
        if isinstance(node, ast.ExceptHandler) and node.name == "_":
            return True
        stack.extend(ast.iter_child_nodes(node))
    return False


def test_no_function_rebinds_the_translation_function() -> None:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not _imports_underscore(tree):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _binds_underscore(node):
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} {node.name}")
    assert not found, f"`_` rebound where it translates: {found}"
