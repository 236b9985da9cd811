"""The three layers import only downwards: numerics <- search <- discovery."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"numerics": {"search", "discovery"}, "search": {"discovery"}}


def _imports(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_downwards(layer):
    bad = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for mod in _imports(path):
            if mod in FORBIDDEN[layer]:
                bad.append(f"{path.relative_to(ROOT)} imports {mod}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("package", ["numerics", "search", "discovery"])
def test_init_lists_all(package):
    init = ROOT / package / "__init__.py"
    assert "__all__" in init.read_text()
