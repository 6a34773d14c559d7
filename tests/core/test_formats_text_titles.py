"""The title of a text file whose text has no headline: the file's name or the opening sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.formats.text import parse_text
from desktop.core.newsmeta import OPENING_TITLE_MAX_CHARS, OPENING_TITLE_MAX_HAN_CHARS

RU = "В Москве в среду открылась выставка научных приборов. Она продлится до воскресенья.\n"
ZH = "世界福音联盟是由128个国家的教会网路所形成的联盟，有超过100个国际组织参与其中，代表4亿2千万的福音派基督徒发声。\n"


def title_of(text: str, name: str) -> str:
    return parse_text(text.encode("utf-8"), Path(name)).articles[0].title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (RU, "В Москве в среду открылась выставка научных приборов"),
        (ZH, "世界福音联盟是由128个国家的教会网路所形成的联盟，有超过100个国际组织参与其中，代表4亿2千万的福音派基督徒发声"),
    ],
    ids=["ru", "zh"],
)
def test_text_without_headline_in_a_machine_named_file_is_titled_by_its_opening(text: str, title: str) -> None:
    assert title_of(text, "devset_factru_503.txt") == title


@pytest.mark.parametrize("name", ["Выставка в Москве", "vystavka-v-moskve-2019"])
def test_text_without_headline_keeps_a_file_name_a_person_wrote(name: str) -> None:
    assert title_of(RU, f"{name}.txt") == name


def test_text_without_headline_in_a_file_named_by_a_number_is_titled_by_its_opening() -> None:
    assert title_of(RU, "1234567.txt") == "В Москве в среду открылась выставка научных приборов"


def test_long_opening_sentence_is_the_whole_title() -> None:
    text = "Российские и китайские учёные договорились создать совместный научный центр " \
           "в Новосибирском академгородке, сообщил глава Сибирского отделения РАН.\n"
    assert title_of(text, "ria_123.txt") == text.strip().removesuffix(".")


def test_opening_sentence_longer_than_a_paragraph_is_cut_after_a_word() -> None:
    text = " ".join(["учёные"] * 100) + " договорились.\n"
    title = title_of(text, "ria_123.txt")
    assert title.endswith("учёные…") and len(title) <= OPENING_TITLE_MAX_CHARS + 1


def test_han_opening_sentence_longer_than_a_paragraph_is_cut_after_a_character() -> None:
    text = "中" * 300 + "。\n"
    assert title_of(text, "uner_1.txt") == "中" * OPENING_TITLE_MAX_HAN_CHARS + "…"
