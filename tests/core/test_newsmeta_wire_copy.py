"""Outlets, bylines and furniture of Russian and Chinese wire copy as it is saved from agency sites:
Interfax's upper-case lead, a Chinese date line naming the paper, RIA's photo credit and
Telegram line, a Chinese editor's line under the article."""

from __future__ import annotations

import pytest

from desktop.core.newsmeta import extract_news

RU_BODY = ("Министерство науки и высшего образования подписало в среду меморандум о сотрудничестве "
           "с компанией Huawei, сообщила пресс-служба министерства.")
ZH_BODY = "中国国家航天局和俄罗斯国家航天集团13日在北京签署关于月球探测合作的协议。双方将共同建设国际月球科研站。"


@pytest.mark.parametrize("lead", ["Москва. 13 марта. ИНТЕРФАКС - ", "МОСКВА, 13 марта. ИНТЕРФАКС — "])
def test_interfax_upper_case_lead_names_the_outlet(lead: str) -> None:
    article = extract_news(f"Минобрнауки подписало меморандум с Huawei\n\n{lead}{RU_BODY}")
    assert (article.source, article.text) == ("Интерфакс", f"{lead}{RU_BODY}")


@pytest.mark.parametrize(
    ("line", "source"),
    [("2019年3月13日 中国日报", "中国日报"), ("2019年3月13日　新华网", "新华网"), ("２０１９年３月１３日 科技日报", "科技日报"),
     ("2019年3月13日 中央社", "中央社"), ("2019年3月13日 中国科学报", "中国科学报"), ("2019年3月13日 澎湃新闻", "澎湃新闻")],
)
def test_a_chinese_date_line_naming_the_paper_gives_its_outlet(line: str, source: str) -> None:
    article = extract_news(f"中俄航天合作进入新阶段\n{line}\n\n{ZH_BODY}")
    assert (article.published, article.source, article.text) == ("2019-03-13", source, ZH_BODY)


@pytest.mark.parametrize("line", ["编辑：李明", "（编辑：李明）", "编辑 李明", "(编辑 李明 张华)"])
def test_the_editor_line_under_a_chinese_article_is_not_article_text(line: str) -> None:
    article = extract_news(f"中俄航天合作进入新阶段\n\n{ZH_BODY}\n\n{line}\n")
    assert article.text == ZH_BODY


def test_an_editor_named_inside_a_chinese_sentence_stays() -> None:
    body = f"{ZH_BODY}\n\n编辑李明说，这是两国航天合作的新起点。"
    assert extract_news(f"中俄航天合作进入新阶段\n\n{body}").text == body


RIA_LEAD = ("НОВОСИБИРСК, 13 мар — РИА Новости. Российско-китайская лаборатория квантовых технологий "
            "открылась в Новосибирском академгородке, сообщил директор института.")


def test_a_photo_credit_above_the_lead_goes_and_the_lead_names_the_outlet() -> None:
    page = (f"В Новосибирске открылась лаборатория квантовых технологий\nОбновлено: 15:20 13.03.2019\n"
            f"© РИА Новости / Александр Кряжев\n\n{RIA_LEAD}\n\nПодпишитесь на РИА Новости в Telegram\n")
    article = extract_news(page)
    assert (article.source, article.published, article.text) == ("РИА Новости", "2019-03-13", RIA_LEAD)


def test_a_sentence_asking_readers_to_subscribe_stays_in_the_body() -> None:
    body = f"{RIA_LEAD}\n\nПодпишитесь на рассылку института, чтобы первыми узнать о результатах, сказал он."
    assert extract_news(f"В Новосибирске открылась лаборатория\n\n{body}").text == body


@pytest.mark.parametrize("tail", ["（完）", "(完)", "【责任编辑：王刚】", "[责任编辑:王刚]"])
def test_the_end_mark_and_bracketed_editor_under_a_chinese_article_go(tail: str) -> None:
    assert extract_news(f"中俄航天合作进入新阶段\n\n{ZH_BODY}\n\n{tail}\n").text == ZH_BODY


@pytest.mark.parametrize(("tail", "source", "author"), [
    ("来源：新华网", "新华网", None),
    ("来源：新华网\n（完）", "新华网", None),
    ("作者：赵亮", None, "赵亮"),
    ("Редактор: Иван Петров", None, None),
])
def test_a_source_or_author_line_under_a_chinese_article_is_read_and_leaves_the_body(tail, source, author) -> None:
    article = extract_news(f"中俄航天合作进入新阶段\n\n{ZH_BODY}\n\n{tail}\n")
    assert (article.text, article.source, article.author) == (ZH_BODY, source, author)


def test_a_source_line_under_the_article_does_not_override_the_one_above() -> None:
    article = extract_news(f"中俄航天合作进入新阶段\n来源：人民网\n\n{ZH_BODY}\n\n来源：新华网\n")
    assert (article.text, article.source) == (ZH_BODY, "人民网")


def test_a_closing_sentence_that_opens_with_a_label_word_stays() -> None:
    body = f"{RU_BODY}\n\nИсточник: в министерстве сообщили, что меморандум вступит в силу в апреле."
    assert extract_news(f"Минобрнауки подписало меморандум с Huawei\n\n{body}").text == body


@pytest.mark.parametrize("tail", ["新华社记者 赵亮", "本报记者　赵亮", "（记者 赵亮）"])
def test_a_reporter_row_under_a_chinese_article_is_its_byline(tail: str) -> None:
    article = extract_news(f"中俄航天合作进入新阶段\n\n{ZH_BODY}\n\n{tail}\n")
    assert (article.text, article.author) == (ZH_BODY, "赵亮")
