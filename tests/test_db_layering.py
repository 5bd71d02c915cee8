"""db/ is the data layer: it must run with no Textual and no console code loaded.

The import contracts in pyproject.toml ([tool.importlinter]) say the same and more; the last test
runs them with the suite, so CI checks them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

DB_DIR = Path(__file__).resolve().parent.parent / "db"


def test_no_module_in_db_imports_textual_or_console():
    offenders = []
    for path in sorted(DB_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.relative_to(DB_DIR)}: {n}"
                for n in names
                if n.split(".")[0] in {"textual", "console", "widgets"}
            ]
    assert offenders == []


def test_importing_every_db_module_loads_no_textual():
    modules = [".".join(("db",) + p.relative_to(DB_DIR).with_suffix("").parts) for p in DB_DIR.rglob("*.py")]
    modules = [m.removesuffix(".__init__") for m in modules]
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'console', 'widgets'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=DB_DIR.parent, check=True
    )
    assert len(modules) >= 50
    assert result.stdout.strip() == ""


def test_import_contracts_hold():
    """db never imports Textual or the console, widgets never the console, no migration is imported."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], capture_output=True, text=True, cwd=DB_DIR.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
