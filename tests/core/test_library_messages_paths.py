"""The one-line messages about a library name its file as it is spelled: on a file system that
tells case apart, /home/Me/Dossier.sqlite and /home/me/dossier.sqlite are two files."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.library_messages import busy_message, damaged_message, read_only_message

PATH = Path("/home/Me/Research/Dossier.sqlite")


@pytest.mark.parametrize("message", [
    read_only_message(PATH, "the disk holding it is full"),
    damaged_message(PATH, "database disk image is malformed"),
    busy_message(PATH, waited=12.0),
])
def test_a_message_names_the_library_file_with_its_capitals(message):
    assert message.startswith(f"The library {PATH} is ")
