"""Place names in other languages (CLDR via Babel) are kept in the data folder after the first
process reads them, so a later process's first search that names someone does not read CLDR."""

from __future__ import annotations

import pytest

from desktop.core.entities import romanise
from desktop.core.paths import data_dir


@pytest.fixture
def fresh_places():
    romanise._places.cache_clear()
    yield
    romanise._places.cache_clear()


def _kept() -> list:
    return sorted((data_dir() / "cache").glob("places-*.json"))


def test_a_later_process_reads_the_kept_table_instead_of_cldr(fresh_places, monkeypatch):
    assert romanise.place_name("Китай") == "China"
    assert len(_kept()) == 1
    romanise._places.cache_clear()  # as in a new process
    monkeypatch.setattr(romanise, "_places_from_cldr", lambda: pytest.fail("CLDR was read again"))
    assert romanise.place_name("Москва") == "Moscow" and romanise.place_name("中国") == "China"


def test_a_damaged_kept_table_is_made_again(fresh_places):
    romanise.place_name("Paris")
    _kept()[0].write_bytes(b"\x00{not json")
    romanise._places.cache_clear()
    assert romanise.place_name("Китай") == "China"
    assert romanise._places() == romanise._places_from_cldr()


def test_a_data_folder_that_cannot_be_written_only_costs_the_reading(fresh_places, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DOSSIER_HOME", str(blocker))
    assert romanise.place_name("Китай") == "China"
