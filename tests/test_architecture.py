"""The shape of the package (issue 9): dependencies point one way, no import cycle, no private name
imported across packages, no module over 500 lines without a reason stated at its top.

The contracts themselves are in pyproject.toml ([tool.importlinter]); scripts/test.sh runs
`lint-imports` too. The lists of known exceptions below only shrink: a new offender fails, and so
does an entry that is no longer needed (remove it).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
from conftest import REPO

PACKAGE = REPO / "cbam_calc"
PACKAGES = ("core", "law", "inputs", "compute", "outputs", "cli")
MAX_LINES = 500
REASON = "Long because:"  # in the first five lines of the module docstring, followed by the reason

KNOWN_LONG: set[str] = set()  # none: every module over the limit says why at its top
KNOWN_CYCLES: list[set[str]] = []  # none: every cli command has its own module
KNOWN_PRIVATE_IMPORTS: set[str] = set()  # "importing.module: from x import _name", as the test prints it


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of cbam_calc."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def package_of(module: str) -> str:
    """cbam_calc.law.art9 -> law; the top-level modules (cbam_calc, cbam_calc.__main__) -> ''."""
    part = module.split(".")[1] if module.count(".") else ""
    return part if part in PACKAGES else ""


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_import_contracts_are_kept():
    exe = Path(sys.executable).with_name("lint-imports")
    exe = str(exe) if exe.exists() else shutil.which("lint-imports")
    assert exe, "lint-imports not found: install the test extra (pip install -e '.[test]')"
    done = subprocess.run(
        [exe, "--no-cache", "--no-logo"], cwd=REPO, capture_output=True, text=True, encoding="utf-8"
    )
    assert done.returncode == 0, f"an import contract of pyproject.toml is broken:\n{done.stdout[-4000:]}"


def test_no_import_cycle():
    """Any cycle of modules; the acyclic_siblings contract sees only cycles among siblings, not a
    package's __init__ and one of its own modules importing each other."""
    graph = grimp.build_graph("cbam_calc", cache_dir=None)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(module: str) -> None:  # Tarjan: the strongly connected components of the graph
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = set()
            while not component or module not in component:
                component.add(stack.pop())
            if len(component) > 1:
                cycles.append(component)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    new = [sorted(c) for c in cycles if c not in KNOWN_CYCLES]
    assert not new, f"modules that import each other, directly or through others: {new}"
    gone = [sorted(c) for c in KNOWN_CYCLES if c not in cycles]
    assert not gone, f"no longer a cycle: remove it from KNOWN_CYCLES: {gone}"


def private_imports(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, what) for every private name of another package that ``module`` imports or uses."""
    own = package_of(module)
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    names: dict[str, str] = {}  # local name -> the cbam_calc module or object it is bound to

    def foreign(target: str) -> bool:
        return target.split(".")[0] == "cbam_calc" and package_of(target) != own

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import: resolve it against this module's package
                here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                names[alias.asname or alias.name] = target
                if foreign(target) and any(is_private(p) for p in target.split(".")):
                    found.append((node.lineno, f"from {base} import {alias.name}"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                if foreign(alias.name) and any(is_private(p) for p in alias.name.split(".")):
                    found.append((node.lineno, f"import {alias.name}"))
    for node in ast.walk(tree):  # batch_mod._helper, where batch_mod is a module of another package
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and is_private(node.attr):
            target = names.get(node.value.id)
            if target and foreign(target):
                found.append((node.lineno, f"{node.value.id}.{node.attr} ({target})"))
    return sorted(found)


def test_no_private_name_imported_across_packages():
    found = {
        f"{module}: {what}": line
        for module, path in modules().items()
        for line, what in private_imports(module, path)
    }
    new = [f"{key} (line {line})" for key, line in found.items() if key not in KNOWN_PRIVATE_IMPORTS]
    assert not new, "private names of another package (make them public, or move them):\n" + "\n".join(new)
    gone = sorted(KNOWN_PRIVATE_IMPORTS - set(found))
    assert not gone, f"no longer imported: remove it from KNOWN_PRIVATE_IMPORTS: {gone}"


def test_private_import_check_sees_each_form(tmp_path):
    path = tmp_path / "lines.py"
    path.write_text(
        "from cbam_calc.outputs.text import _width, summary_text\n"
        "from cbam_calc.law import cnets\n"
        "import cbam_calc.core._hidden\n"
        "from .notes import _same_package\n"
        "from cbam_calc.compute.aggregate import _also_same_package\n"
        "cnets._private_helper()\n",
        encoding="utf-8",
    )
    assert private_imports("cbam_calc.compute.lines", path) == [
        (1, "from cbam_calc.outputs.text import _width"),
        (3, "import cbam_calc.core._hidden"),
        (6, "cnets._private_helper (cbam_calc.law.cnets)"),
    ]


def long_modules() -> dict[str, int]:
    """Files of cbam_calc over MAX_LINES lines whose docstring does not say why, with their length."""
    out = {}
    for path in modules().values():
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        doc = ast.get_docstring(ast.parse(text)) or ""
        if lines > MAX_LINES and REASON not in "\n".join(doc.splitlines()[:5]):
            out[path.relative_to(REPO).as_posix()] = lines
    return out


def test_no_module_over_500_lines_without_a_reason():
    found = long_modules()
    new = {name: n for name, n in found.items() if name not in KNOWN_LONG}
    assert not new, f"over {MAX_LINES} lines: split it, or say why at its top ({REASON!r}): {new}"
    gone = sorted(KNOWN_LONG - set(found))
    assert not gone, f"within {MAX_LINES} lines now, says why, or gone: remove it from KNOWN_LONG: {gone}"
