"""The Qt window of Dossier: the only package that imports PySide6."""
