"""Where file dialogs open: the folder last used for their kind of file, else Documents, else home."""

from __future__ import annotations


import pytest
from PySide6.QtWidgets import QFileDialog

from desktop.ui import file_dialogs
from desktop.ui.file_dialogs import FileKind
from desktop.ui.settings import Settings


class Answers(list):
    """What the system dialogs answer, in order (a path, a list of paths, "" for Cancel);
    ``opened_in`` records the ``dir`` each dialog was given."""

    def __init__(self) -> None:
        super().__init__()
        self.opened_in: list[str] = []

    def __call__(self, parent, caption, directory, *rest):
        self.opened_in.append(directory)
        return self.pop(0)


@pytest.fixture
def answers(monkeypatch) -> Answers:
    queue = Answers()
    for name in ("getSaveFileName", "getOpenFileName", "getOpenFileNames"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(lambda *args: (queue(*args), "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(queue))
    return queue


def test_documents_folder_is_the_users_documents_or_home_without_one(qapp, user_home):
    assert file_dialogs.documents_folder() == user_home / "Documents"
    (user_home / "Documents").rmdir()
    assert file_dialogs.documents_folder() == user_home


def test_a_cancelled_dialog_returns_nothing_and_remembers_nothing(qapp, user_home, answers):
    answers.append("")
    assert file_dialogs.ask_open_file(None, kind=FileKind.LIBRARY, title="Open", filters="") is None
    assert Settings().last_folder(FileKind.LIBRARY) is None


def test_each_kind_remembers_its_own_folder(qapp, user_home, tmp_path, answers):
    exports = tmp_path / "exports"
    exports.mkdir()
    answers += [str(exports / "a.csv"), str(user_home / "b.sqlite")]
    file_dialogs.ask_save_file(None, kind=FileKind.EXPORT, title="Export", suggested="a.csv", filters="")
    file_dialogs.ask_save_file(None, kind=FileKind.LIBRARY, title="New", suggested="b.sqlite", filters="")
    assert file_dialogs.start_folder(FileKind.EXPORT) == exports
    assert file_dialogs.start_folder(FileKind.LIBRARY) == user_home
    assert file_dialogs.start_folder(FileKind.IMPORT) == user_home / "Documents"


def test_a_folder_chosen_to_import_is_remembered_beside_its_siblings(qapp, user_home, tmp_path, answers):
    corpus = tmp_path / "corpora" / "bbc"
    corpus.mkdir(parents=True)
    answers += [str(corpus), ""]
    assert file_dialogs.ask_folder(None, kind=FileKind.IMPORT, title="Folder") == corpus
    file_dialogs.ask_folder(None, kind=FileKind.IMPORT, title="Folder")
    assert answers.opened_in == [str(user_home / "Documents"), str(tmp_path / "corpora")]


def test_a_remembered_folder_that_is_gone_falls_back_to_documents(qapp, user_home, tmp_path, answers):
    gone = tmp_path / "usb stick"
    gone.mkdir()
    answers += [[str(gone / "a.txt"), str(gone / "b.txt")]]
    assert file_dialogs.ask_open_files(None, kind=FileKind.IMPORT, title="Files") == [gone / "a.txt",
                                                                                      gone / "b.txt"]
    assert file_dialogs.start_folder(FileKind.IMPORT) == gone
    gone.rmdir()
    assert file_dialogs.start_folder(FileKind.IMPORT) == user_home / "Documents"
