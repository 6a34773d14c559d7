"""PDF pages as laid out: running heads, feet and page numbers, paragraphs broken into lines,
words hyphenated at line ends, justified spacing, a letterhead above the headline."""

from __future__ import annotations

import textwrap

from desktop.core.formats.pdf_text import article_text
from tests.core.helpers import parsers_for
from tests.core.test_formats_pdf import make_pdf

parse, only_article = parsers_for("release.pdf")

LEAD = (
    "Scientists from the Russian Academy of Sciences and the Harbin Institute of Technology opened "
    "a joint laboratory for materials research on Tuesday, the ministry said in a statement."
)
SECOND = (
    "The laboratory will employ forty researchers from both countries and will share its results "
    "with universities in Novosibirsk, Tomsk and Harbin over the next five years."
)


def wrapped(paragraph: str) -> list[str]:
    return textwrap.wrap(paragraph, 70)


def paged(lines: list[str], *, per_page: int) -> list[list[str]]:
    """``lines`` on pages of ``per_page`` lines under a running head, above a page number foot."""
    chunks = [lines[start : start + per_page] for start in range(0, len(lines), per_page)]
    return [
        ["MINISTRY OF SCIENCE | Press release", *chunk, f"Page {number} of {len(chunks)}"]
        for number, chunk in enumerate(chunks, 1)
    ]


def test_running_heads_and_page_numbers_are_not_in_the_article_text():
    lines = ["China and Russia open a joint laboratory", *wrapped(LEAD), *wrapped(SECOND)]
    article = only_article(make_pdf(paged(lines, per_page=2)))
    assert "MINISTRY OF SCIENCE" not in article.text
    assert "Page" not in article.text
    assert article.title == "China and Russia open a joint laboratory"


def test_lines_of_a_paragraph_are_joined_across_pages_and_paragraphs_kept_apart():
    lines = ["China and Russia open a joint laboratory", *wrapped(LEAD), *wrapped(SECOND)]
    article = only_article(make_pdf(paged(lines, per_page=2)))
    assert article.text == f"{LEAD}\n\n{SECOND}"


def test_word_hyphenated_at_a_line_end_is_joined_and_a_compound_keeps_its_hyphen():
    lines = [
        "Joint laboratory opens in Harbin",
        "The high-speed rail link and the laboratory were announced by the regu-",
        "lators of both countries, who said the new high-",
        "speed line would carry researchers between Harbin and Vladivostok.",
    ]
    article = only_article(make_pdf([lines]))
    assert article.text == (
        "The high-speed rail link and the laboratory were announced by the regulators of both "
        "countries, who said the new high-speed line would carry researchers between Harbin and Vladivostok."
    )


def test_justified_spacing_becomes_single_spaces():
    lines = ["Joint laboratory opens in Harbin", "Scientists  from  the  Russian  Academy  of  Sciences  opened  a  laboratory."]
    assert only_article(make_pdf([lines])).text == "Scientists from the Russian Academy of Sciences opened a laboratory."


def test_letterhead_above_the_files_title_is_neither_title_nor_text():
    lines = [
        "EMBASSY OF THE RUSSIAN FEDERATION IN THE PEOPLE'S REPUBLIC OF CHINA",
        "China and Russia open a joint laboratory",
        "Beijing, 5 March 2019",
        "By Wang Li",
        *wrapped(LEAD),
    ]
    article = only_article(make_pdf([lines], info={"Title": "China and Russia open a joint laboratory"}))
    assert (article.title, article.published, article.author) == (
        "China and Russia open a joint laboratory", "2019-03-05", "Wang Li")
    assert article.text == LEAD


def test_headline_in_the_largest_print_is_the_title_below_a_letterhead():
    lines = [
        (8, "EMBASSY OF THE RUSSIAN FEDERATION IN THE PEOPLE'S REPUBLIC OF CHINA"),
        (18, "China and Russia open a joint laboratory"),
        *((11, line) for line in wrapped(LEAD)),
    ]
    article = only_article(make_pdf([lines]))
    assert article.title == "China and Russia open a joint laboratory"
    assert article.text == LEAD


def test_placeholder_author_of_a_pdf_maker_is_no_author():
    article = only_article(make_pdf([["Joint laboratory opens", LEAD]], info={"Author": "anonymous"}))
    assert article.author is None


def test_chinese_lines_are_joined_without_spaces():
    page = "中俄联合实验室在哈尔滨揭牌\n中国科学院与俄罗斯科学院在哈尔滨共同建立了材料研究联合实验室，双方\n将在未来五年内共享研究成果。\n第 1 页"
    assert article_text([page]).text == (
        "中俄联合实验室在哈尔滨揭牌\n\n中国科学院与俄罗斯科学院在哈尔滨共同建立了材料研究联合实验室，双方将在未来五年内共享研究成果。"
    )
