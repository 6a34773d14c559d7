"""The installer's spec keeps what the app reads at run time (checked without building it)."""

from __future__ import annotations

import ast
from pathlib import Path

from desktop.core.entities.romanise import CLDR_LOCALES

SPEC = Path(__file__).resolve().parents[2] / "packaging" / "dossier.spec"


def _spec_value(name: str):
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    return next(ast.literal_eval(node.value) for node in tree.body
                if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets))


def test_the_bundle_keeps_the_cldr_locales_that_join_names_across_scripts():
    """The bundle kept English alone, and the installed program failed its first Russian or
    Chinese place name ("unknown locale 'ru'")."""
    kept = set(_spec_value("KEPT_BABEL_LOCALES"))
    assert {"root", "en"} <= kept
    assert {code.split("_")[0] for code in CLDR_LOCALES} <= kept


def test_the_bundle_keeps_the_table_that_reads_traditional_chinese_as_simplified():
    """``desktop.core.han_forms`` reads zhconv's JSON file, which no import statement reveals."""
    assert "zhconv" in _spec_value("DATA_PACKAGES")
