"""The Qt-free core of Dossier: library file, import, search, entities, annotations, export.

Who may touch what:

- Nothing under this package imports PySide6 (an import-linter contract in
  pyproject.toml, checked by the tests); the command line runs on it alone.
- Every write to a library is an operation here: a plain function over a
  connection that commits one transaction and returns what it changed — a
  ``RowChange`` (undoable, ``undo.py``) whose ``changes`` is a ``ChangeSet``
  (``changes.py``). Callers never write SQL of their own.
- Chains of operations ("import, then find entities") are workflows here too,
  so the command line and the window run the same code.
- Long jobs take keyword ``progress`` and ``cancel`` (``jobs.py``) and raise the
  typed errors of ``errors.py``; nothing here prints or asks a person.
"""
