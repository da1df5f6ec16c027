"""The house rules that a test can hold: core imports no UI library, and every package folder is installed."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UI_LIBRARIES = ("textual", "rich")


def imported_modules(path: Path) -> list[str]:
    """Every module a file imports, at any depth of the file (function-level imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "core").rglob("*.py")), ids=lambda path: str(path.relative_to(ROOT)))
def test_core_imports_no_ui_library(path: Path) -> None:
    offending = [name for name in imported_modules(path) if name.split(".")[0] in UI_LIBRARIES]
    assert offending == [], f"{path.relative_to(ROOT)} imports {offending}: core must not know about the UI"


def installed_package_dirs() -> dict[str, str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    directories = config["package-dir"]
    assert sorted(config["packages"]) == sorted(directories), "every package needs a folder, every folder a package"
    return directories


@pytest.mark.parametrize("top", ["core", "tui"])
def test_every_package_folder_is_installed(top: str) -> None:
    installed = {Path(folder) for folder in installed_package_dirs().values()}
    folders = {init.parent.relative_to(ROOT) for init in (ROOT / top).rglob("__init__.py")}
    missing = sorted(str(folder) for folder in folders - installed)
    assert missing == [], f"pyproject.toml does not install {missing}: `pip install .` would leave them out"


def test_every_installed_folder_exists() -> None:
    for package, folder in installed_package_dirs().items():
        assert (ROOT / folder / "__init__.py").is_file(), f"{package} maps to {folder}, which is not a package"
