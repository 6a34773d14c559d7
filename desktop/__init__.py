"""Dossier: an offline reader for research corpora of news articles.

The one source of truth for the product's name and version, read by pyproject,
the command line, the window title and the installer spec.
"""

__app_name__ = "Dossier"
__version__ = "0.1.0"
