"""The Qt-free core of Dossier: library file, import, search, entities, annotations, export.

Nothing under this package may import PySide6 (an import-linter contract in
pyproject.toml, checked by the tests); the command line runs on it alone.
"""
