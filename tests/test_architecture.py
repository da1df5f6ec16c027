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
    """A folder is a package (`__init__.py`) or holds data only, declared as such: setuptools warns that a data
    folder it is not told about "would be ignored" (the serve page's templates were)."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    for package, folder in installed_package_dirs().items():
        is_package = (ROOT / folder / "__init__.py").is_file()
        holds_data = package in data and not list((ROOT / folder).glob("*.py"))
        assert is_package or holds_data, f"{package} maps to {folder}, which is neither a package nor declared data"


def relative_imports(path: Path) -> list[tuple[int, str]]:
    """(level, module) of every relative import in a file: `from ..stepping import x` is (2, "stepping")."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [(node.level, node.module or "") for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level > 0]


@pytest.mark.parametrize("path", sorted((ROOT / "core" / "engine").rglob("*.py")),
                         ids=lambda path: str(path.relative_to(ROOT)))
def test_the_engine_is_the_bottom_layer(path: Path) -> None:
    """core/engine imports nothing from the layers above it (stepping, layout, training, lessons)."""
    depth = len(path.relative_to(ROOT / "core").parts) - 1  # levels from the file's package up to core/
    above = []
    for level, module in relative_imports(path):
        if level > depth:  # reaches core/ or beyond: the module's first part is a sibling package of engine
            first = module.split(".")[0]
            if first != "engine":
                above.append(module)
    absolute = [name for name in imported_modules(path)
                if name.startswith("backprop_tui.") and not name.startswith("backprop_tui.core.engine")]
    assert above + absolute == [], f"{path.relative_to(ROOT)} imports {above + absolute} from above the engine"
