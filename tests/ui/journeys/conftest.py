"""Journeys: the window driven only by user events (clicks, keys, menu actions, drops).

A journey test never calls a slot, a private method or a core function to take
the user's step; it may read what the person would see (rows, texts, files
written) and replace only the system file dialogs (the ``ask…`` classmethods or
``QFileDialog`` static methods).

Every wait is a ``qtbot.waitUntil`` on what the person sees, never a fixed
sleep: ``make test-busy`` runs these with one core kept busy.
"""
