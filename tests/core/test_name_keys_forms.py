"""Romanised name keys that meet across forms: traditional and simplified Chinese (俄羅斯 / 俄罗斯,
長春 / 长春, where pypinyin reads a traditional character out of context), and Russian names in
their English spellings (Alexander Sergeev / Александр Сергеев, Dmitriyev / Дмитриев), without
joining names that differ; an upgraded library gets the new keys in migration 0024."""

from __future__ import annotations

import pytest

from desktop.core.entities.name_links import link_names
from desktop.core.entities.romanise import name_keys
from desktop.core.library import open_library
from tests.core.helpers import library_before
from tests.core.test_names_across_scripts import add_names, names_of


@pytest.mark.parametrize(("traditional", "simplified"), [
    ("俄羅斯", "俄罗斯"), ("習近平", "习近平"), ("長春", "长春"), ("重慶", "重庆"), ("中國銀行", "中国银行"),
    ("廈門", "厦门"), ("臺北", "台北"),
])
def test_a_traditional_name_has_the_key_of_its_simplified_form(traditional, simplified):
    assert name_keys(traditional) == name_keys(simplified)


@pytest.mark.parametrize(("english", "russian"), [
    ("Alexander Sergeev", "Александр Сергеев"), ("Aleksandr Sergeyev", "Александр Сергеев"),
    ("Dmitriyev", "Дмитриев"), ("Peter", "Пётр"), ("Alexandra", "Александра"), ("Yevgeny", "Евгений"),
])
def test_an_english_spelling_of_a_russian_name_has_its_key(english, russian):
    assert name_keys(english).key == name_keys(russian).key


@pytest.mark.parametrize(("one", "other"), [
    ("Alexander", "Alexandra"), ("Peter", "Peters"), ("Walter", "Walt"), ("Sergeev", "Sergei"),
    ("Dmitriyev", "Dmitry"), ("长春", "长沙"),
])
def test_names_that_differ_keep_different_keys(one, other):
    assert name_keys(one).key != name_keys(other).key


def test_both_forms_of_a_chinese_name_are_merged_as_one_entity(library):
    db = library.db
    add_names(db, [("GPE", "俄羅斯"), ("GPE", "俄罗斯"), ("PERSON", "Alexander Sergeev"),
                   ("PERSON", "Александр Сергеев")])
    assert link_names(db) is not None
    assert len(names_of(db, "GPE")) == 1
    assert names_of(db, "PERSON") == ["Alexander Sergeev"]


def test_an_upgraded_library_gets_the_keys_that_meet_again(tmp_path):
    from sqlite_utils import Database

    from desktop.core import schema

    db = Database(tmp_path / "old.sqlite")
    schema.migrations.apply(db, stop_before="0024_entity_keys_one_han_form")
    names = ["長春", "长春", "Alexander Sergeev", "Александр Сергеев", "Dmitriyev", "Rudskoy"]
    db.conn.executemany("INSERT INTO entities (label, name) VALUES ('PERSON', ?)", [(n,) for n in names])
    db.conn.executemany(  # the keys the earlier rules made
        "INSERT INTO entity_keys (entity_id, name, script, key, words) SELECT id, name, ?, ?, '' "
        "FROM entities WHERE name = ?",
        [("han", "zancun", "長春"), ("han", "cancun", "长春"), ("latin", "aleksandersergev", "Alexander Sergeev"),
         ("cyrillic", "aleksandrsergev", "Александр Сергеев"), ("latin", "dmitriev", "Dmitriyev"),
         ("latin", "rudskoi", "Rudskoy")])
    db.conn.commit()
    schema.migrations.apply(db)
    keys = dict(db.conn.execute("SELECT name, key FROM entity_keys"))
    assert keys["長春"] == keys["长春"] == "cancun"
    assert keys["Alexander Sergeev"] == keys["Александр Сергеев"] == "aleksandrsergev"
    assert keys["Dmitriyev"] == name_keys("Дмитриев").key
    assert keys["Rudskoy"] == "rudskoi"


@pytest.mark.parametrize("names", [
    ("US", "U.S.", "USA", "United States", "США", "Соединённые Штаты Америки", "美国", "美利坚合众国"),
    ("Russia", "Russian Federation", "Россия", "РФ", "Российская Федерация", "俄罗斯"),
    ("China", "PRC", "Китай", "КНР", "中国", "中华人民共和国"),
    ("UK", "Britain", "United Kingdom", "Великобритания", "英国"),
    ("EU", "European Union", "ЕС", "Евросоюз", "欧盟"),
])
def test_short_and_official_country_names_take_the_countrys_key(names):
    assert len({name_keys(n).key for n in names}) == 1, {n: name_keys(n).key for n in names}


def test_an_upgraded_library_gets_the_country_keys_of_short_names_and_links_them(tmp_path):
    path = tmp_path / "old.sqlite"
    with library_before(path, "0027_entity_keys_short_country_names") as db:
        names = ["США", "United States", "КНР", "China", "Moscow"]
        db.conn.executemany("INSERT INTO entities (label, name) VALUES ('GPE', ?)", [(n,) for n in names])
        db.conn.executemany(  # the keys the earlier rules made
            "INSERT INTO entity_keys (entity_id, name, script, key, words) SELECT id, name, ?, ?, '' "
            "FROM entities WHERE name = ?",
            [("cyrillic", "ssha", "США"), ("latin", "unitedstates", "United States"), ("cyrillic", "knr", "КНР"),
             ("latin", "cina", "China"), ("latin", "moskov", "Moscow")])
        db.conn.commit()
    with open_library(path) as library:
        keys = dict(library.db.conn.execute("SELECT name, key FROM entity_keys"))
        assert keys["США"] == keys["United States"] and keys["КНР"] == keys["China"]
        assert keys["Moscow"] == "moskov"  # keys of other names are left as they were
        assert link_names(library.db) is not None
        assert len(names_of(library.db, "GPE")) == 3  # США with United States, КНР with China, Moscow
