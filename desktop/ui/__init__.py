"""The Qt window of Dossier: the only package that imports PySide6.

Who may touch what: widgets read the library through core functions (no SQL
here) and change it only through the window's ``operations``
(``operations.py``), which runs core operations, owns the one undo history and
announces each ``ChangeSet``; views refresh from those announcements alone,
including the changes other processes make. Long jobs run on the window's
writer through ``MainWindow.submit_write`` (``workers.py`` adapts a core job
to a worker with signals).
"""
