"""Headline, date, outlet, byline and clean body of Chinese and Russian wire copy (hand-written pages)."""

from __future__ import annotations

import pytest

from desktop.core.newsmeta import extract_news

XINHUA_BODY = (
    "新华社北京3月13日电（记者 张伟 李娜）中国科学院与俄罗斯科学院13日在北京签署基础研究合作协议，"
    "双方将在长春和新西伯利亚共建联合实验室。\n"
    "\n"
    "根据协议，两院将在材料科学、空间物理和生态保护等领域开展联合研究。该协议有效期为五年。\n"
    "\n"
    "双方表示，2008年启动的交流项目已培养青年学者三百余名。"
)
XINHUA = (
    "首页 > 新闻 > 国际\n"
    "中俄两国科学院签署基础研究合作协议\n"
    "2019-03-13 10:25:31　来源：新华网\n"
    "【字体：大 中 小】\n"
    "\n"
    f"{XINHUA_BODY}\n"
    "\n"
    "责任编辑：王刚\n"
    "打印本页 关闭窗口\n"
)
PEOPLE_BODY = (
    "本报莫斯科3月12日电（记者 赵明）俄罗斯与中国企业12日在莫斯科举行能源合作论坛，"
    "签署了十余项合作文件。\n"
    "\n"
    "与会代表认为，两国在能源领域的合作潜力巨大！"
)
PEOPLE = (
    "人民网>>国际>>滚动新闻\n"
    "中俄能源合作论坛在莫斯科举行\n"
    "2019年03月13日08:20  来源：人民网-人民日报\n"
    "分享到：\n"
    f"{PEOPLE_BODY}\n"
    "（责编：孙丽、周杰）\n"
)
TASS_BODY = (
    "МОСКВА, 13 марта. /ТАСС/. Россия и Китай подписали соглашение о научном сотрудничестве "
    "в области освоения Луны, сообщили в Роскосмосе.\n"
    "\n"
    "Соглашение, заключенное 2 сентября 2018 года, вступит в силу после ратификации."
)
TASS = (
    "Главная / Наука\n"
    "Россия и Китай подписали соглашение о сотрудничестве в изучении Луны\n"
    "13 марта 2019, 10:25\n"
    "Обновлено 13 марта 2019, 11:40\n"
    "Поделиться\n"
    f"{TASS_BODY}\n"
    "Читайте также\n"
    "Версия для печати\n"
)
RIA_BODY = (
    "МОСКВА, 13 мар — РИА Новости. Российские и китайские ученые создадут совместный центр "
    "исследований Арктики, сообщил вице-президент РАН.\n"
    "\n"
    "Первые экспедиции центра начнутся летом."
)
RIA = (
    "Ученые России и Китая создадут центр исследований Арктики\n"
    "10:25 13.03.2019 (обновлено: 11:40 13.03.2019)\n"
    "Автор: Иван Петров\n"
    f"{RIA_BODY}\n"
    "Поделиться\n"
    "Версия для печати\n"
)


@pytest.mark.parametrize(
    ("page", "title", "published", "source", "author", "body"),
    [
        (XINHUA, "中俄两国科学院签署基础研究合作协议", "2019-03-13", "新华网", "张伟 李娜", XINHUA_BODY),
        (PEOPLE, "中俄能源合作论坛在莫斯科举行", "2019-03-13", "人民网-人民日报", "赵明", PEOPLE_BODY),
        (
            TASS,
            "Россия и Китай подписали соглашение о сотрудничестве в изучении Луны",
            "2019-03-13", "ТАСС", None, TASS_BODY,
        ),
        (
            RIA,
            "Ученые России и Китая создадут центр исследований Арктики",
            "2019-03-13", "РИА Новости", "Иван Петров", RIA_BODY,
        ),
    ],
    ids=["xinhua", "peoples-daily", "tass", "ria"],
)
def test_wire_page_gives_headline_date_outlet_byline_and_exact_body(
    page: str, title: str, published: str, source: str, author: str | None, body: str
) -> None:
    article = extract_news(page)
    assert (article.title, article.published, article.source, article.author) == (
        title, published, source, author,
    )
    assert article.text == body


def test_chinese_text_without_headline_keeps_every_line_as_body() -> None:
    text = "该组织成立于1963年。\n\n在密苏里州，该书被放置在学校图书馆。\n"
    article = extract_news(text)
    assert (article.title, article.text) == ("", text.strip())


def test_short_chinese_line_with_final_punctuation_is_not_a_headline() -> None:
    article = extract_news("会议取得成功！\n\n双方在北京签署了关于基础研究合作的协议，并决定共建实验室。")
    assert article.title == ""
    assert article.text.startswith("会议取得成功！")


@pytest.mark.parametrize(
    "text",
    [
        "Учёные нашли воду на Луне\n\nОткрытие, сделанное 2 сентября 2018 года, подтвердили в НАСА.",
        "科学家在月球发现水\n\n这一发现于2018年9月2日得到证实。",
        "Учёные нашли воду на Луне\n\nОткрытие, сделанное 02.09.2018, подтвердили в НАСА.",
        "科学家在月球发现水\n\n这一发现于2018-09-02得到证实。",
    ],
    ids=["ru", "zh", "ru-numeric", "zh-numeric"],
)
def test_date_mentioned_in_the_story_is_not_the_publication_date(text: str) -> None:
    assert extract_news(text).published is None


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("13 марта 2019 года", "2019-03-13"),
        ("13 марта 2019 г.", "2019-03-13"),
        ("13 марта 2019 года.", "2019-03-13"),
        ("Опубликовано: 1 мая 2020", "2020-05-01"),
        ("2019年3月13日", "2019-03-13"),
        ("发布时间：2020年05月01日 09:30", "2020-05-01"),
    ],
)
def test_russian_and_chinese_date_lines_are_read(line: str, iso: str) -> None:
    body = "Первое предложение статьи о науке и технике."
    assert extract_news(f"Заголовок статьи о науке\n{line}\n\n{body}").published == iso


def test_a_date_line_abbreviating_the_year_leaves_the_byline_under_it_to_be_read() -> None:
    body = "Российские и китайские учёные открыли лабораторию в Новосибирске. Это первая такая лаборатория."
    article = extract_news(f"Учёные открыли новую лабораторию\n\n14 сентября 2021 г.\n\nАвтор: Иван Петров\n\n{body}")
    assert (article.published, article.author, article.text) == ("2021-09-14", "Иван Петров", body)


def test_date_line_opening_a_chinese_sentence_stays_in_the_body() -> None:
    body = "2019年3月13日，双方在北京签署协议。"
    article = extract_news(f"中俄签署合作协议\n{body}")
    assert (article.published, article.text) == (None, body)


def test_reporter_line_is_read_as_byline() -> None:
    article = extract_news("中俄签署合作协议\n记者 张伟\n\n双方在北京签署了关于基础研究合作的协议，并决定共建实验室。")
    assert article.author == "张伟"


def test_interfax_lead_names_the_outlet() -> None:
    article = extract_news(
        "Российские ученые запустили новый спутник\n\n"
        "Москва. 13 марта. INTERFAX.RU - Российские ученые запустили новый спутник для изучения климата."
    )
    assert article.source == "Интерфакс"


def test_updated_date_does_not_override_the_published_date_before_it() -> None:
    article = extract_news(
        "Заголовок статьи о науке\nОпубликовано: 12.03.2019 | Обновлено: 14 марта 2019\n\n"
        "Первое предложение статьи о науке и технике."
    )
    assert article.published == "2019-03-12"


def test_people_daily_reporter_line_is_read_as_byline() -> None:
    article = extract_news("中俄签署合作协议\n本报记者 赵明\n\n双方在北京签署了关于基础研究合作的协议，并决定共建实验室。")
    assert article.author == "赵明"


ZH_HEADLINE, ZH_BODY = "中俄联合实验室在哈尔滨成立", "中俄两国科学家周二在哈尔滨成立联合实验室，双方将在材料科学领域开展合作研究。"
RU_HEADLINE = "В Новосибирске открыли лабораторию"
RU_BODY = "Учёные из Новосибирска и Харбина во вторник открыли совместную лабораторию материаловедения."


@pytest.mark.parametrize(
    ("line", "iso", "source"),
    [
        ("发布日期：2019-03-13", "2019-03-13", None),
        ("发布日期：2019年3月13日 10:22", "2019-03-13", None),
        ("日期：2019-03-13", "2019-03-13", None),
        ("来源：新华网 2019年3月13日", "2019-03-13", "新华网"),
        ("来源：新华网 2019-03-13 10:22", "2019-03-13", "新华网"),
    ],
)
def test_chinese_date_and_source_lines_date_the_article_and_leave_the_body(line: str, iso: str, source) -> None:
    article = extract_news(f"{ZH_HEADLINE}\n{line}\n{ZH_BODY}")
    assert (article.published, article.source, article.text) == (iso, source, ZH_BODY)


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Опубликовано 01.02.2018 10:22", "2018-02-01"),
        ("Обновлено 01.02.2018", "2018-02-01"),
        ("Опубликовано: 01/02/2018", "2018-02-01"),
        ("Дата публикации: 01.02.2018 10:22", "2018-02-01"),
    ],
)
def test_russian_numeric_date_lines_are_day_first_and_leave_the_body(line: str, iso: str) -> None:
    article = extract_news(f"{RU_HEADLINE}\n{line}\n{RU_BODY}")
    assert (article.published, article.text) == (iso, RU_BODY)


def test_english_slash_date_line_stays_month_first() -> None:
    article = extract_news("Scientists open a joint laboratory\nPublished: 01/02/2018\n\n"
                           "Scientists from Novosibirsk and Harbin opened a joint laboratory on Tuesday.")
    assert article.published == "2018-01-02"


@pytest.mark.parametrize(
    ("related", "body"),
    [
        ("Читайте также\nЛавров встретился с Ван И в Пекине\nМедведев посетил Харбин", TASS_BODY),
        ("Читайте также: Путин призвал расширять научные связи с Китаем", RIA_BODY),
        ("相关新闻\n普京会见李强\n中俄科技合作取得新成果", XINHUA_BODY),
        ("延伸阅读：中俄科学家在哈尔滨举行联合实验室揭牌仪式", XINHUA_BODY),
        ("Related news\nTomsk team wins grant\nNew lab opens in Novosibirsk", TASS_BODY),
    ],
    ids=["ru-block", "ru-inline", "zh-block", "zh-inline", "en-block"],
)
def test_related_stories_heading_goes_with_the_headlines_it_links(related: str, body: str) -> None:
    page = f"Заголовок статьи о науке\n\n{body}\n\n{related}\n\nПоделиться\n"
    assert extract_news(page).text == body


def test_sentence_after_a_related_stories_heading_stays_in_the_body() -> None:
    tail = "Первые экспедиции центра начнутся летом, сообщили в РАН."
    page = f"Заголовок статьи о науке\n\n{RIA_BODY}\nЧитайте также\n{tail}\n"
    assert extract_news(page).text == f"{RIA_BODY}\n{tail}"


def test_bracketed_widget_row_under_a_chinese_article_is_removed() -> None:
    page = f"中俄两国科学院签署基础研究合作协议\n\n{XINHUA_BODY}\n\n【纠错】 【打印】 【关闭】\n"
    assert extract_news(page).text == XINHUA_BODY


WIRE_BODY = (
    "Учёные Сибирского отделения РАН открыли новый минерал, сообщили в институте. "
    "Это первая находка за десять лет."
)


@pytest.mark.parametrize(
    ("dateline", "published", "source", "author"),
    [
        ("Новосибирск, 14 сентября 2021 — РИА Новости. Автор: Иван Петров", "2021-09-14", "РИА Новости", "Иван Петров"),
        ("Новосибирск, 14 сентября 2021 — РИА Новости", "2021-09-14", "РИА Новости", None),
        ("Москва, 14 сентября 2021 года — ТАСС", "2021-09-14", "ТАСС", None),
        ("Новосибирск, 14 сентября 2021 — Интерфакс. Автор: Иван Петров", "2021-09-14", "Интерфакс", "Иван Петров"),
        ("北京，2021年9月14日 — 新华社。作者：张三", "2021-09-14", "新华社", "张三"),
        ("2021年9月14日 — 中新网", "2021-09-14", "中新网", None),
        ("14 сентября 2021 — РИА Новости сообщает", "2021-09-14", None, None),
    ],
    ids=["ria-author", "ria", "tass-goda", "interfax", "xinhua", "chinanews", "sentence"],
)
def test_a_dateline_with_the_wire_after_a_dash_gives_its_outlet(dateline, published, source, author) -> None:
    article = extract_news(f"Учёные открыли новый минерал\n{dateline}\n\n{WIRE_BODY}")
    assert (article.published, article.source, article.author) == (published, source, author)
    assert article.text == WIRE_BODY


def test_a_lead_dated_with_its_year_names_the_wire_and_stays_the_article() -> None:
    lead = f"Новосибирск, 14 сентября 2021 — РИА Новости. {WIRE_BODY}"
    article = extract_news(f"Учёные открыли новый минерал\n\n{lead}")
    assert (article.source, article.text) == ("РИА Новости", lead)


@pytest.mark.parametrize(
    "line",
    [
        "Как сообщает РИА Новости, учёные Сибирского отделения РАН открыли новый минерал.",
        "14 сентября 2021 года корреспондент ТАСС побывал в институте, где открыли минерал.",
    ],
)
def test_a_sentence_that_names_a_wire_gives_no_outlet(line) -> None:
    assert extract_news(f"Учёные открыли новый минерал\n\n{line} {WIRE_BODY}").source is None


@pytest.mark.parametrize("line", ["Автор: Иван Петров.",
                                  "Новосибирск, 14 сентября 2021 — РИА Новости. Автор: Иван Петров."])
def test_a_byline_ending_in_a_full_stop_gives_the_name_and_leaves_the_body(line: str) -> None:
    body = "Российские и китайские учёные открыли лабораторию в Новосибирске. Это первая такая лаборатория."
    article = extract_news(f"Учёные открыли новую лабораторию\n{line}\n\n{body}")
    assert (article.author, article.text) == ("Иван Петров", body)


def test_a_sentence_after_a_source_label_stays_in_the_body() -> None:
    article = extract_news("Scientists open a laboratory\nSource: Officials said it.\n\n"
                           "Russian and Chinese scientists opened a laboratory in Novosibirsk on Monday.")
    assert article.source is None and article.text.startswith("Source: Officials said it.")


def test_a_chinese_first_sentence_is_the_whole_title():
    from desktop.core.newsmeta import opening_title

    sentence = "中俄两国科学家在新西伯利亚共同举办了关于生物医学与人工智能合作的国际研讨会并签署了多项联合研究协议"
    assert opening_title(f"{sentence}。\n\n双方同意。") == sentence
