"""Names across scripts: romanised keys, automatic merges (undoable, split off for good),
suggestions accepted or refused, and search following a name into other scripts."""

from __future__ import annotations

import pytest

from desktop.core.entities import aliases_of, always_treat, extract_entities, split_alias
from desktop.core.entities.name_keys import refresh_keys
from desktop.core.entities.name_links import (
    FAMILY_NAME,
    SAME_KEY_OTHER_TYPE,
    accept_suggestion,
    link_names,
    name_suggestions,
    refuse_suggestion,
)
from desktop.core.entities.romanise import CYRILLIC, HAN, LATIN, name_keys, place_name
from desktop.core.name_search import match_name, query_name
from desktop.core.search import Filters, search_hits, search_ids
from tests.core.helpers import add_article, add_mention


def key(name: str) -> str:
    return name_keys(name).key


@pytest.mark.parametrize("names", [
    ("Rudskoy", "Rudskoi", "Rudskoj", "Рудской"),
    ("Xi Jinping", "习近平", "XI JINPING"),
    ("长春", "Changchun", "Чанчунь"),
    ("Germany", "Германия", "德国"),
    ("Moscow", "Москва", "莫斯科"),
    ("Shanghai", "Шанхай", "上海"),
    ("Zhang Wei", "Чжан Вэй", "张伟"),
    ("Sergei Shoigu", "Сергей Шойгу", "Sergey Shoygu"),
    ("Semyonov", "Семёнов", "Semenov"),
    ("Beijing", "北京"),
    ("Wei Jingsheng", "魏京生"),
    ("Jurij", "Юрий", "Yury"),
])
def test_one_name_in_several_scripts_has_one_key(names):
    assert len({key(n) for n in names}) == 1, {n: key(n) for n in names}


@pytest.mark.parametrize("one, other", [
    ("Rudskoy", "Rudenko"), ("Putin", "普京"), ("Germany", "France"), ("长春", "长城"),
    ("Xi Jinping", "Li Keqiang"), ("Beijing", "Being"), ("北京", "Being"),
])
def test_different_names_keep_different_keys(one, other):
    assert key(one) != key(other)


def test_pinyin_reads_han_in_context():
    assert name_keys("长春").words == ("can", "cun")  # chang chun, not zhang chun
    assert key("重庆") == key("Chongqing")  # chong qing, not zhong qing


def test_scripts_and_cldr_places():
    assert [name_keys(n).script for n in ("Putin", "Путин", "普京")] == [LATIN, CYRILLIC, HAN]
    assert place_name("Германия") == place_name("德国") == "Germany"
    assert place_name("莫斯科") == "Moscow"
    assert place_name("Rudskoy") is None


# --- merges ---------------------------------------------------------------------------------

RU = "Генерал Рудской заявил, что учения прошли успешно. Путин поддержал решение."
ZH = "会谈：普京、习近平，莫斯科。"  # rules match whole words: punctuation around the names
EN = "Andrei Rudskoy said the drills went well. Putin agreed with Xi Jinping."


def entity(db, label, name):
    row = db.conn.execute("SELECT id FROM entities WHERE label = ? AND name = ?", (label, name)).fetchone()
    return row[0] if row else None


def names_of(db, label):
    return sorted(r[0] for r in db.conn.execute("SELECT name FROM entities WHERE label = ?", (label,)))


@pytest.fixture
def scripts(library):
    db = library.db
    library.ru = add_article(db, RU, title="Учения", published="2020-01-02")
    library.zh = add_article(db, ZH, title="会谈", published="2020-01-03")
    library.en = add_article(db, EN, title="Drills", published="2020-01-01")
    for name in ("Рудской", "Путин", "普京", "习近平", "Rudskoy", "Putin", "Xi Jinping"):
        always_treat(db, name, label="PERSON")
    return library


def test_extraction_merges_names_whose_keys_and_types_agree(scripts):
    db = scripts.db
    extract_entities(scripts)
    people = names_of(db, "PERSON")
    assert "Рудской" not in people and "习近平" not in people and "Путин" not in people
    rudskoy = entity(db, "PERSON", "Rudskoy")
    assert set(aliases_of(db, rudskoy)) >= {"Рудской"}
    assert set(aliases_of(db, entity(db, "PERSON", "Xi Jinping"))) >= {"习近平"}
    assert "普京" in people  # no rule links Putin and 普京


def test_the_queue_an_import_fills_merges_them_too(scripts):
    from desktop.core.entities.extraction_queue import enqueue, run_queue

    enqueue(scripts.db, [scripts.ru, scripts.zh, scripts.en])  # what an import does
    report = run_queue(scripts, workers=0)
    people = names_of(scripts.db, "PERSON")
    assert "Рудской" not in people and "习近平" not in people
    assert set(aliases_of(scripts.db, entity(scripts.db, "PERSON", "Rudskoy"))) >= {"Рудской"}
    assert report.names_linked is not None
    assert run_queue(scripts, workers=0).names_linked is None  # nothing queued, nothing merged


def test_the_extraction_reports_its_automatic_merges_as_one_step_that_undo_and_redo_take(scripts):
    db = scripts.db
    report = extract_entities(scripts)
    change = report.names_linked
    assert change is not None and change.label.endswith("names written in other scripts")
    merged = names_of(db, "PERSON")
    for _ in range(2):
        change.undo(db)
        assert {"Рудской", "Rudskoy", "习近平", "Xi Jinping"} <= set(names_of(db, "PERSON"))
        change.redo(db)
        assert names_of(db, "PERSON") == merged
    assert extract_entities(scripts, doc_ids=[]).names_linked is None  # nothing read, nothing merged


def test_an_automatic_merge_is_undone_and_a_split_name_stays_apart(scripts):
    db = scripts.db
    extract_entities(scripts)
    for doc in (scripts.ru, scripts.zh, scripts.en):
        db.conn.execute("DELETE FROM entity_extractions WHERE document_id = ?", (doc,))
    putin = entity(db, "PERSON", "Putin")
    split_alias(db, putin, name="Путин")
    assert entity(db, "PERSON", "Путин") is not None
    extract_entities(scripts, redo=True)
    assert entity(db, "PERSON", "Путин") is not None  # the person's split survives re-extraction
    assert "Путин" not in aliases_of(db, entity(db, "PERSON", "Putin"))
    assert link_names(db) is None  # nothing left to merge


def test_link_names_is_one_undo_step(library):
    db = library.db
    add_names(db, [("PERSON", "Rudskoy"), ("PERSON", "Рудской"), ("PERSON", "Rudskoi")])
    change = link_names(db)
    assert change is not None and "2 names" in change.label
    assert names_of(db, "PERSON") == ["Rudskoy"]
    change.undo(db)
    assert names_of(db, "PERSON") == ["Rudskoi", "Rudskoy", "Рудской"]


UNSURE = [("GPE", "Germany"), ("ORG", "Германия"), ("PERSON", "Vladimir Putin"), ("PERSON", "Путин")]


def add_names(db, names) -> None:
    """One article mentioning each (label, name), the entities' keys computed."""
    doc = add_article(db, "x")
    for label, name in names:
        add_mention(db, doc, label, name)
    refresh_keys(db)


def test_types_that_differ_are_suggested_not_merged(library):
    db = library.db
    add_names(db, UNSURE)
    assert link_names(db) is None
    found = {(s.first.name, s.second.name, s.reason) for s in name_suggestions(db)}
    assert ("Germany", "Германия", SAME_KEY_OTHER_TYPE) in found
    assert ("Vladimir Putin", "Путин", FAMILY_NAME) in found


def test_accepting_merges_and_refusing_sticks_and_both_undo(library):
    db = library.db
    add_names(db, UNSURE)
    by_name = {s.second.name: s for s in name_suggestions(db)}
    accepted = accept_suggestion(db, by_name["Путин"].first.id, by_name["Путин"].second.id)
    assert "Путин" in aliases_of(db, entity(db, "PERSON", "Vladimir Putin"))
    refused = refuse_suggestion(db, by_name["Германия"].first.id, by_name["Германия"].second.id)
    assert name_suggestions(db) == []
    refused.undo(db)
    assert [s.second.name for s in name_suggestions(db)] == ["Германия"]
    accepted.undo(db)
    assert entity(db, "PERSON", "Путин") is not None


def test_a_refused_pair_is_never_merged_automatically(library):
    db = library.db
    add_names(db, [("PERSON", "Rudskoy"), ("PERSON", "Рудской")])
    refuse_suggestion(db, entity(db, "PERSON", "Rudskoy"), entity(db, "PERSON", "Рудской"))
    assert link_names(db) is None
    assert names_of(db, "PERSON") == ["Rudskoy", "Рудской"]


# --- search ---------------------------------------------------------------------------------

def test_only_a_plain_name_is_followed():
    assert query_name("Putin") == "Putin"
    assert query_name('"Xi Jinping"') == query_name("“Xi Jinping”") == query_name("«Xi Jinping»") == "Xi Jinping"
    assert query_name("Puti*") == "Puti"
    for query in ("Putin OR Xi", "-Putin", "title:Putin", "(Putin)", '"Putin" visit'):
        assert query_name(query) is None


def test_a_search_for_a_name_finds_its_mentions_in_every_script(scripts):
    db = scripts.db
    extract_entities(scripts)
    assert search_ids(db, "Rudskoy", follow_names=False) == [scripts.en]
    assert search_ids(db, "Rudskoy") == [scripts.en, scripts.ru]
    assert search_ids(db, "Рудской") == [scripts.ru, scripts.en]
    assert set(search_ids(db, "习近平")) == {scripts.zh, scripts.en}
    match = match_name(db, "Rudskoy")
    assert match is not None and match.also == "also: Рудской"


def test_a_family_name_finds_the_person_named_in_full_in_another_script(library):
    db = library.db
    full = add_article(db, "Премьер-министр Владимир Путин поздравил сборную.", title="Поздравление")
    short = add_article(db, "Путин поддержал решение.", title="Решение")
    add_article(db, "Министр Владимир Колокольцев выступил.", title="Выступление")
    for name in ("Владимир Путин", "Путин", "Владимир Колокольцев"):
        always_treat(db, name, label="PERSON")
    extract_entities(library)
    assert set(search_ids(db, "Putin")) == {full, short}


def test_a_family_name_finds_the_person_named_with_a_patronymic(library):
    """Russian copy names people in full: "Владимир Владимирович Путин" is Putin too."""
    add_names(library.db, [("PERSON", "Владимир Владимирович Путин"), ("PERSON", "Владимир Владимирович Жириновский")])
    assert match_name(library.db, "Putin").names == ("Владимир Владимирович Путин",)


def test_a_family_name_finds_chinese_names_by_their_first_character_only(library):
    """王毅 is Wang Yi; 吴王 (the King of Wu) and 冀望 ('hope', taken for a name) end in a
    character read 'wang' but are no Wang: a Chinese name puts its family name first."""
    add_names(library.db, [("PERSON", "王毅"), ("PERSON", "吴王"), ("PERSON", "冀望"), ("PERSON", "Владимир Ван")])
    assert match_name(library.db, "Wang").names == ("Владимир Ван", "王毅")


def test_a_common_word_typed_as_a_query_is_not_taken_for_the_name_it_begins(library):
    """``the`` begins The Beatles and ``day`` reads as the family name of 戴秉国 (Dai Bingguo),
    but the articles write both in lower case: they name nobody. Blair, written capitalised,
    still finds Tony Blair."""
    db = library.db
    doc = add_article(db, "The Beatles played the hits of the day. Later that day Tony Blair spoke; "
                          "the crowd cheered Blair and 戴秉国.")
    for label, name in (("PERSON", "The Beatles"), ("PERSON", "Tony Blair"), ("PERSON", "戴秉国")):
        add_mention(db, doc, label, name)
    refresh_keys(db)
    assert match_name(db, "the") is None
    assert match_name(db, "day") is None
    assert match_name(db, "Blair").names == ("Tony Blair",)
    assert match_name(db, "Dai").names == ("戴秉国",)


def test_a_chinese_place_name_does_not_follow_an_english_title_its_reading_begins(library):
    """北京 reads bei jing; with the j lost to the doubled i it was Being's key, and Being
    Digital (taken for a person) was "also" 北京."""
    add_names(library.db, [("GPE", "Beijing"), ("GPE", "北京"), ("PERSON", "Being Digital")])
    assert match_name(library.db, "北京").names == ("Beijing",)
    assert match_name(library.db, "Beijing").names == ("北京",)


def test_search_follows_a_merge_the_person_made(scripts):
    db = scripts.db
    extract_entities(scripts)
    assert scripts.zh not in search_ids(db, "Putin")
    accept = accept_suggestion(db, entity(db, "PERSON", "Putin"), entity(db, "PERSON", "普京"))
    assert set(search_ids(db, "Putin")) == {scripts.en, scripts.ru, scripts.zh}
    assert match_name(db, "Putin").also == "also: Путин, 普京"
    assert set(search_ids(db, "普京")) == {scripts.en, scripts.ru, scripts.zh}
    accept.undo(db)
    assert scripts.zh not in search_ids(db, "Putin")


def test_filters_and_sorting_apply_to_the_articles_found_by_name(scripts):
    db = scripts.db
    extract_entities(scripts)
    dated = Filters().with_dates("2020-01-02", None)
    assert search_ids(db, "Rudskoy", filters=dated) == [scripts.ru]
    assert search_ids(db, "Rudskoy", sort="published") == [scripts.en, scripts.ru]
    assert search_ids(db, "Rudskoy", sort="published", descending=True) == [scripts.ru, scripts.en]


def test_hits_say_which_name_an_article_was_found_under(scripts):
    db = scripts.db
    extract_entities(scripts)
    hits = search_hits(db, "Rudskoy")
    assert [h["id"] for h in hits] == [scripts.en, scripts.ru]
    assert all(h["also"] == ["Рудской"] for h in hits)
    assert "found_as" not in hits[0]
    assert hits[1]["found_as"] == "Рудской" and "[Рудской]" in hits[1]["snippet"]
    plain = search_hits(db, "Rudskoy", follow_names=False)
    assert [h["id"] for h in plain] == [scripts.en] and "also" not in plain[0]


# --- keys for existing libraries ------------------------------------------------------------

def _library_before_keys(path):
    from sqlite_utils import Database

    from desktop.core import schema

    db = Database(path)
    schema.migrations.apply(db, stop_before="0010_entity_name_keys")
    db.conn.executemany("INSERT INTO entities (label, name) VALUES ('PERSON', ?)",
                        [("Rudskoy",), ("Рудской",), ("习近平",)])
    db.conn.commit()
    return db, schema


def test_the_migration_keys_the_entities_already_there(tmp_path):
    db, schema = _library_before_keys(tmp_path / "old.sqlite")
    schema.migrations.apply(db)
    keys = dict(db.conn.execute("SELECT name, key FROM entity_keys"))
    assert keys["Rudskoy"] == keys["Рудской"] == key("Rudskoy") and keys["习近平"] == key("Xi Jinping")


def test_an_upgraded_library_makes_the_keys_that_keep_a_j_again(tmp_path):
    from sqlite_utils import Database

    from desktop.core import schema

    db = Database(tmp_path / "old.sqlite")
    schema.migrations.apply(db, stop_before="0018_entity_keys_keep_j")
    db.conn.executemany("INSERT INTO entities (label, name) VALUES ('GPE', ?)", [("Beijing",), ("北京",)])
    db.conn.executemany("INSERT INTO entity_keys (entity_id, name, script, key, words) "
                        "SELECT id, name, '', 'bein', 'bein' FROM entities WHERE name = ?", [("Beijing",), ("北京",)])
    db.conn.commit()
    schema.migrations.apply(db)
    assert dict(db.conn.execute("SELECT name, key FROM entity_keys")) == {"Beijing": "beijin", "北京": "beijin"}


def test_a_large_library_is_keyed_later_in_batches_that_a_cancel_keeps(tmp_path, monkeypatch):
    from desktop.core.entities import name_keys
    from desktop.core.errors import Cancelled
    from desktop.core.jobs import CancelToken

    monkeypatch.setattr(name_keys, "MIGRATION_LIMIT", 2)
    monkeypatch.setattr(name_keys, "BATCH", 2)
    db, schema = _library_before_keys(tmp_path / "old.sqlite")
    schema.migrations.apply(db)
    assert len(name_keys.stale_keys(db)) == 3
    token, seen = CancelToken(), []

    def progress(step):
        seen.append((step.done, step.total))
        token.cancel()

    with pytest.raises(Cancelled):
        refresh_keys(db, progress=progress, cancel=token)
    assert seen == [(2, 3)] and len(name_keys.stale_keys(db)) == 1
    assert refresh_keys(db) == 1 and name_keys.stale_keys(db) == []


def test_the_sidebar_counts_the_articles_found_by_name_too(scripts):
    from desktop.core.search import date_histogram, facet_counts

    db = scripts.db
    extract_entities(scripts)
    assert date_histogram(db, query="Rudskoy") == [("2020", 2)]
    assert date_histogram(db, query="Rudskoy", follow_names=False) == [("2020", 1)]
    assert dict(facet_counts(db, "entity:PERSON", query="Rudskoy"))["Rudskoy"] == 2


def test_only_names_in_two_scripts_are_suggested_and_not_every_shared_word(library):
    db = library.db
    add_names(db, [("GPE", "UK"), ("PRODUCT", "UK"),  # one script: Review entities' to judge
                   ("PERSON", "Борис Громов"), ("PERSON", "Boris Johnson"),  # a first name shared
                   ("PERSON", "Джон Керри"), ("PERSON", "Kerry"),
                   ("PERSON", "英"), ("PERSON", "晋"), ("PERSON", "Lee"), ("PERSON", "乐")])
    found = {(s.first.name, s.second.name, s.reason) for s in name_suggestions(db)}
    assert found == {("Kerry", "Джон Керри", FAMILY_NAME)}
