"""No button or action is wired to a method whose first parameter is optional.

``clicked``, ``triggered`` and ``toggled`` pass ``checked`` to a slot that can
take it: a method such as ``start(self, paths=None)`` connected directly gets
``paths=False`` and the button does nothing but raise. Such slots are wrapped
(``lambda: self.start()``) or split into a method without parameters.
"""

from __future__ import annotations

import ast
from pathlib import Path

import desktop.ui

UI = Path(desktop.ui.__file__).parent
CHECKED_SIGNALS = {"clicked", "triggered", "toggled"}


def first_parameter_is_optional(function: ast.FunctionDef) -> bool:
    positional = [arg.arg for arg in function.args.posonlyargs + function.args.args if arg.arg != "self"]
    return bool(positional) and len(function.args.defaults) == len(positional)


def wired_methods(tree: ast.Module) -> list[tuple[int, ast.FunctionDef]]:
    """(line, method) for every ``x.clicked/triggered/toggled.connect(self.method)`` in the classes."""
    found = []
    for cls in (node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)):
        methods = {node.name: node for node in cls.body if isinstance(node, ast.FunctionDef)}
        for call in (node for node in ast.walk(cls) if isinstance(node, ast.Call)):
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr == "connect" and call.args
                    and isinstance(func.value, ast.Attribute) and func.value.attr in CHECKED_SIGNALS):
                continue
            slot = call.args[0]
            if (isinstance(slot, ast.Attribute) and isinstance(slot.value, ast.Name)
                    and slot.value.id == "self" and slot.attr in methods):
                found.append((call.lineno, methods[slot.attr]))
    return found


def test_no_checked_signal_reaches_an_optional_first_parameter():
    offenders = [
        f"{path.name}:{line} {method.name}"
        for path in sorted(UI.glob("*.py"))
        for line, method in wired_methods(ast.parse(path.read_text(encoding="utf-8")))
        if first_parameter_is_optional(method)
    ]
    assert offenders == []


def test_the_check_finds_a_slot_that_would_get_checked():
    tree = ast.parse(
        "class Dialog:\n"
        "    def __init__(self):\n"
        "        self.button.clicked.connect(self.start)\n"
        "    def start(self, paths=None):\n"
        "        pass\n"
    )
    assert [(line, method.name) for line, method in wired_methods(tree)
            if first_parameter_is_optional(method)] == [(3, "start")]
