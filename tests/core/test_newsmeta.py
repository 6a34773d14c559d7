"""Headline, date, outlet, byline and clean body read from the text of news articles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop.core.encoding import decode_text
from desktop.core.newsmeta import extract_news
from desktop.core.newsmeta_dates import find_date
from tests.conftest import CORPORA, SEEDS

NAVIGATION_JUNK = (
    "LINE", "Text:AAAPrint", "Voices", "Related news", "MorePhoto", "Most popular in 24h",
    "MoreTop news", "MoreVideo", "News", "Politics", "Travel News", "Bar & Club", "Source link",
    "Editor's picks", "【Fonts: A+ A A- Print", "Home > Announcement Board",
    "Home / China / National affairs", "1",
)
BBC = CORPORA / "bbc"


def seed(prefix: str):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return extract_news(decode_text(path.read_bytes()))


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def assert_clean_body(text: str, *, first: str, last: str) -> None:
    assert paragraphs(text)[0].startswith(first)
    assert paragraphs(text)[-1] == last
    assert "\n\n\n" not in text
    lines = set(text.split("\n"))
    assert not lines & set(NAVIGATION_JUNK)
    assert "Copyright" not in text and "Back to top" not in text


def test_seed_000_ecns_article_reads_headline_dateline_and_clean_body():
    article = seed("000")
    assert article.title == "Innovation in biomedicine require willingness to share technologies: official"
    assert (article.published, article.source, article.author) == ("2017-11-15", "Xinhua", None)
    assert_clean_body(
        article.text,
        first="Innovation requires openness and willingness to share technologies, and Russian-Chinese "
        "cooperation in biomedicine will definitely bring mutually beneficial results, a Chinese "
        "embassy official said Tuesday.",
        last="Irina Ganus, the deputy chairman of St. Petersburg Committee on Science, said that the basis "
        "for successful Russian-Chinese cooperation in biomedicine is the broad social support for a "
        "comprehensive partnership between Russia and China.",
    )
    assert "2017-11-15 11:29:36Xinhua" not in article.text


def test_seed_001_without_dateline_has_no_date_nor_source_and_loses_source_link():
    article = seed("001")
    assert article.title == "China-Russia scientific cooperation deepens"
    assert (article.published, article.source, article.author) == (None, None, None)
    assert_clean_body(
        article.text,
        first="The Chinese and Russian scientific and engineering communities will step up academic "
        "exchanges, training and promotion of scientific and technological innovations, experts said Monday.",
        last="“The two countries are achieving new heights of cooperation in science, technology, training "
        "and the commercialization of scientific discoveries,” he said. China-Russia cooperation has a "
        "bright future and will need support from both the public and private sectors, he added.",
    )


def test_seed_002_is_undated_below_a_breadcrumb_the_event_date_of_its_lead_is_not_its_publication():
    article = seed("002")
    assert article.title == "China-Russia Science and Innovation Activities Held in Harbin"
    assert (article.published, article.source, article.author) == (None, None, None)
    assert_clean_body(
        article.text,
        first="The Chinese Ministry of Science and Technology (MOST) joined hands with relevant Russian "
        "departments to hold a series of science and innovation activities in Harbin on June 15, 2017,",
        last="In recent years, science & technology cooperation between China and Russia has maintained "
        "robust momentum. The two nations have expanded bilateral cooperation, innovated and enriched the "
        "forms of cooperation. Bilateral cooperation has made good progress in the principle of equality "
        "and mutual benefit, sharing research outcomes and protecting intellectual property.",
    )


def test_seed_003_reads_byline_row_with_author_outlet_and_update_time():
    article = seed("003")
    assert article.title == "Biomedical international alliance built for Belt and Road Initiative"
    assert (article.published, article.source, article.author) == (
        "2017-09-15", "chinadaily.com.cn", "Meng Fanbin",
    )
    assert_clean_body(
        article.text,
        first="A biomedical international alliance for countries and regions along the Belt & Road "
        "Initiative was set up in Qingdao on Thursday",
        last="\"The Chinese government invests a growing amount of money in the health-care industry to "
        "promote the sector's fast development,\" said Richard John Roberts, an English biochemist and "
        "molecular biologist, who was awarded the 1993 Nobel Prize in Physiology or Medicine, "
        "at the meeting.",
    )
    assert "By Meng Fanbin" not in article.text


def test_seed_004_reads_run_together_update_and_source_labels():
    article = seed("004")
    assert article.title == "Video Conference on China-Russia Sci-Tech Cooperation Held"
    assert (article.published, article.source, article.author) == ("2021-03-30", "CCFAO", None)
    assert_clean_body(
        article.text,
        first="The Changchun-Novosibirskaya Video Conference on Sci-Tech Cooperation between China and "
        "Russia was held on March 26, 2021.",
        last="The representatives of officials, entrepreneurs and sci-tech professionals also shared "
        "their ideas on how to promote the cooperation between the two sides.",
    )
    assert "Updated : 2021-03-30" not in article.text


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_headline_is_not_repeated_in_the_body(prefix):
    article = seed(prefix)
    assert article.title not in article.text


def _bbc_expected(text: str) -> tuple[str, str]:
    lines = [line.strip() for line in text.split("\n")]
    body = "\n".join(lines[1:]).strip()
    return lines[0], re.sub(r"\n{3,}", "\n\n", body)


@pytest.mark.skipif(not BBC.is_dir(), reason="BBC corpus not available")
def test_bbc_article_title_is_the_first_line_and_it_has_no_date():
    text = decode_text((BBC / "business" / "001.txt").read_bytes())
    article = extract_news(text)
    assert article.title == "Ad sales boost Time Warner profit"
    assert article.published is None
    assert article.text.startswith("Quarterly profits at US media giant TimeWarner jumped 76%")


@pytest.mark.skipif(not BBC.is_dir(), reason="BBC corpus not available")
def test_every_bbc_article_keeps_its_headline_and_every_body_line():
    changed = []
    for path in sorted(BBC.rglob("*.txt")):
        if path.name == "README.TXT":
            continue
        text = decode_text(path.read_bytes())
        article = extract_news(text)
        if (article.title, article.text) != _bbc_expected(text):
            changed.append(str(path.relative_to(BBC)))
    assert changed == []


def test_bbc_style_two_word_headline_is_taken():
    article = extract_news("Chelsea win\n\nChelsea beat Arsenal 2-1 at Stamford Bridge on Sunday.\n")
    assert article.title == "Chelsea win"


def test_headline_repeated_above_the_body_is_stored_once():
    article = extract_news("Labs merge\n\nBy Anna Ivanova\n\nLabs merge\n\nTwo labs in Tomsk merged on Monday.")
    assert (article.title, article.text) == ("Labs merge", "Two labs in Tomsk merged on Monday.")


def test_trailing_dash_is_stripped_from_headline():
    assert extract_news("Talks resume —\n\nThe talks resumed in Moscow.").title == "Talks resume"


def test_breadcrumb_with_chevrons_is_not_a_headline():
    text = "News > World > Asia\n\nRussia opens lab in Harbin\n\nThe lab opened on Monday in Harbin."
    assert extract_news(text).title == "Russia opens lab in Harbin"


def test_text_without_a_headline_gets_an_empty_title_and_keeps_its_first_sentence():
    text = (
        "The Russian Academy of Sciences and its Chinese counterpart signed an agreement on joint "
        "research in Novosibirsk on Tuesday, officials said.\n\nThe deal covers optics."
    )
    article = extract_news(text)
    assert article.title == ""
    assert article.text == text


def test_agency_dateline_in_the_lead_names_the_outlet():
    text = "Labs to share data\n\nMOSCOW, Nov. 15 (Xinhua) -- Russian and Chinese labs will share data."
    assert extract_news(text).source == "Xinhua"


def test_dateline_date_wins_over_a_date_in_the_lead():
    text = (
        "Forum opens\n\nPublished: 3 March 2019\n\n"
        "The forum, first held on June 15, 2017, opened in Shanghai with 300 delegates from both countries."
    )
    assert extract_news(text).published == "2019-03-03"


def test_labelled_date_in_another_language_is_read_as_a_rare_fallback():
    text = "Forum opens\n\nPublished: 5 сентября 2018\n\nThe forum opened in Novosibirsk."
    assert extract_news(text).published == "2018-09-05"


@pytest.mark.parametrize("sentence", [
    "UPDATED: The minister resigned on Friday after weeks of pressure.",
    "Time: the company said it needs more of it.",
    "Source: a senior official told us the deal was off.",
    "Автор: неизвестный художник расписал стену в Москве.",
])
def test_a_sentence_under_the_headline_that_opens_with_a_label_word_stays_in_the_text(sentence):
    article = extract_news(f"Headline A\n{sentence}\n\nBody.")
    assert article.text == f"{sentence}\n\nBody."
    assert (article.source, article.author, article.published) == (None, None, None)


def test_labelled_dates_and_names_under_the_headline_are_still_metadata():
    article = extract_news("Forum opens\nUpdated: 3 March 2019 | Source: Xinhua | By: Anna Ivanova\n\n"
                           "The forum opened in Novosibirsk.")
    assert (article.published, article.source, article.author) == ("2019-03-03", "Xinhua", "Anna Ivanova")
    assert article.text == "The forum opened in Novosibirsk."


def test_date_is_none_when_the_text_gives_none():
    assert extract_news("Forum opens\n\nThe forum opened in Novosibirsk last week.").published is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on 2017-06-15 in Harbin", "2017-06-15"),
        ("on 2017/6/5 in Harbin", "2017-06-05"),
        ("on 15.09.2017 in Novosibirsk", "2017-09-15"),
        ("on June 15, 2017 in Harbin", "2017-06-15"),
        ("on Nov. 15, 2017 in Moscow", "2017-11-15"),
        ("on 15th June 2017 in Harbin", "2017-06-15"),
        ("in June 2017 and on 2017-13-45", None),
    ],
)
def test_find_date_reads_common_news_date_formats(text, expected):
    assert find_date(text) == expected


def test_menu_pasted_in_the_middle_of_the_body_is_removed():
    text = (
        "Forum opens\n\nThe forum opened in Harbin.\n\nNews\nPolitics\nBusiness\nSociety\nCulture\n\n"
        "Delegates signed three agreements."
    )
    assert extract_news(text).text == "The forum opened in Harbin.\n\nDelegates signed three agreements."


def test_short_list_lines_inside_the_body_are_kept():
    text = "Winners named\n\nThe winners were:\nIvan Petrov\nLi Wei\nAnna Ivanova\n\nEach got a prize."
    assert "Ivan Petrov\nLi Wei\nAnna Ivanova" in extract_news(text).text


def test_sentence_starting_with_copyright_inside_the_body_is_kept():
    text = (
        "Patent pact\n\nCopyright rules for joint patents were agreed by both sides on Friday.\n\n"
        "The pact takes effect next year.\n\nCopyright © 2021 Example News. All rights reserved."
    )
    body = extract_news(text).text
    assert body == (
        "Copyright rules for joint patents were agreed by both sides on Friday.\n\n"
        "The pact takes effect next year."
    )


def test_pipe_separated_link_row_is_removed():
    text = "Forum opens\n\nThe forum opened.\n\nAbout Us | Jobs | Contact Us | Privacy Policy"
    assert extract_news(text).text == "The forum opened."


def test_byline_without_outlet_gives_author_only():
    article = extract_news("Labs merge\n\nBy Anna Ivanova\n\nTwo labs in Tomsk merged on Monday.")
    assert (article.author, article.source) == ("Anna Ivanova", None)
    assert article.text == "Two labs in Tomsk merged on Monday."


def test_editor_row_below_the_headline_is_dropped_without_becoming_the_author():
    article = extract_news("Labs merge\n\nEditor: Mo Hong'e\n\nTwo labs in Tomsk merged on Monday.")
    assert (article.author, article.text) == (None, "Two labs in Tomsk merged on Monday.")


def test_capitalised_month_in_a_dateline_is_read():
    assert extract_news("Labs merge\n\nNOV. 15, 2017 09:30\n\nTwo labs merged.").published == "2017-11-15"


def test_file_modification_time_is_never_a_source_of_dates(tmp_path: Path):
    path = tmp_path / "undated.txt"
    path.write_text("Labs merge\n\nTwo labs in Tomsk merged.", encoding="utf-8")
    assert extract_news(decode_text(path.read_bytes())).published is None


@pytest.mark.parametrize("lines_before", range(9))
def test_menu_of_four_lines_is_removed_wherever_it_starts_in_the_body(lines_before):
    prose = [f"Delegates from Harbin signed agreement number {n} on Friday." for n in range(lines_before)]
    menu = ["News", "Politics", "Business", "Society"]
    text = "\n".join(["Forum opens", "", *prose, *menu, "The forum closed on Sunday."])
    assert extract_news(text).text == "\n".join([*prose, "The forum closed on Sunday."])


@pytest.mark.parametrize("junk", ["Related news", "World / Asia / China", "Home > Science", "MoreTop news"])
def test_furniture_line_deep_inside_a_long_body_is_removed(junk):
    prose = [f"Researchers in Tomsk described experiment number {n} in detail." for n in range(40)]
    text = "\n".join(["Lab results", "", *prose[:30], junk, *prose[30:]])
    assert extract_news(text).text == "\n".join(prose)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("filler words " * 2000 + "signed on June 15, 2017 in Harbin", "2017-06-15"),
        ("profits in 1987 rose, and on 1988-03-04 the board met", "1988-03-04"),
        ("signed on June 15,\n    2017 in Harbin", "2017-06-15"),
        ("met on March 3, 2018 and again on 2019-05-06", "2018-03-03"),
        ("the 2017 plan and the 2018 plan", None),
    ],
)
def test_find_date_takes_the_first_date_anywhere_and_skips_bare_years(text, expected):
    assert find_date(text) == expected


def test_month_name_spelt_with_a_long_s_is_read_as_a_date():
    assert find_date("signed on ſept. 5, 2019 in Harbin") == "2019-09-05"


def test_a_date_deep_in_a_hard_wrapped_lead_is_an_event_not_the_publication_date():
    lead = "\n".join(f"the joint institute reported progress on project {n} and" for n in range(30))
    text = f"INSTITUTE REPORTS\n\n{lead}\nsaid the results were published on May 4, 1987."
    assert extract_news(text).published is None


def test_an_event_in_the_first_sentence_does_not_date_the_story():
    text = ("Ten-year tragedy of missing Manic\n\nRichey Edwards, guitarist and lyricist for The Manic "
            "Street Preachers, vanished 10 years ago, on 1 February 1995. His disappearance remains a mystery.")
    assert extract_news(text).published is None


@pytest.mark.parametrize("lead, published", [
    ("MOSCOW, Nov. 15, 2019 (Xinhua) -- Russian labs will share data.", "2019-11-15"),
    ("March 3, 2019 — Russian labs will share data.", "2019-03-03"),
    ("WASHINGTON, March 3, 2019: Russian labs will share data.", "2019-03-03"),
    ("The labs, opened on March 3, 2019 - after a delay - share data.", None),
])
def test_only_the_dateline_opening_the_lead_dates_the_story(lead, published):
    assert extract_news(f"Labs share data\n\n{lead}").published == published


@pytest.mark.parametrize("lead", [
    "By Monday, the two sides had agreed on a joint laboratory in Harbin.",
    "By March, prices of rare earths had doubled.",
    "By Christmas",
])
def test_a_lead_opening_with_by_and_a_day_or_a_sentence_is_body_not_a_byline(lead):
    article = extract_news(f"Talks end with a pact\n{lead}\nThe talks went on for a week and ended with a "
                           "signed memorandum of understanding between the academies.")
    assert article.author is None and article.text.startswith(lead)


def test_a_line_ending_in_a_colon_opens_the_body_and_the_short_line_above_it_is_the_headline():
    article = extract_news("Winners named\n\nThe winners were:\nIvan Petrov\nLi Wei\nAnna Ivanova\n\nEach got a prize.")
    assert article.title == "Winners named"
    assert article.text.startswith("The winners were:\nIvan Petrov")


def test_a_short_lead_opening_with_its_date_stays_body_and_dates_the_article():
    lead = "March 3, 2021 — The minister resigned after weeks of pressure."
    article = extract_news(f"Minister quits\n{lead}\nHe said he had no regrets and would return to teaching next year.")
    assert article.text.startswith(lead) and article.published == "2021-03-03"
    row = extract_news("Minister quits\n3 March 2021 | BBC News\nThe minister resigned after weeks of pressure from "
                       "his own party.")
    assert (row.published, row.source) == ("2021-03-03", "BBC") and row.text.startswith("The minister")


def test_date_line_naming_its_place_dates_the_article_and_the_byline_under_it_is_read():
    article = extract_news(
        "Dollar gains on Greenspan speech\n\nMoscow, 21 January 2005\n\nBy Anna Ivanova\n\n"
        "The dollar has hit its highest level against the euro in almost three months."
    )
    assert (article.published, article.author) == ("2005-01-21", "Anna Ivanova")
    assert article.text == "The dollar has hit its highest level against the euro in almost three months."


def test_russian_date_line_naming_its_place_dates_the_article():
    article = extract_news("Лаборатория открыта\n\nМосква, 13 марта 2019 года\n\nУчёные открыли лабораторию в Новосибирске.")
    assert article.published == "2019-03-13"
    assert article.text == "Учёные открыли лабораторию в Новосибирске."


def test_lead_opening_with_a_place_and_date_stays_text():
    lead = "HARBIN, 5 March 2019 -- Scientists from the Russian Academy of Sciences and"
    article = extract_news(f"Joint laboratory opens\n\n{lead}\nHarbin Institute of Technology opened a laboratory.")
    assert article.text.startswith(lead)


@pytest.mark.parametrize("label", ["Title:", "Headline:", "TITLE :", "Заголовок:"])
def test_a_labelled_headline_is_read_without_its_label(label):
    text = (f"{label} China, Russia to build joint lunar station by 2035\nSource: Xinhua\nDate: 2023-03-14\n\n"
            "MOSCOW, March 14 (Xinhua) -- Russian and Chinese scientists will jointly build a research station.")
    article = extract_news(text)
    assert article.title == "China, Russia to build joint lunar station by 2035"
    assert (article.source, article.published) == ("Xinhua", "2023-03-14")
