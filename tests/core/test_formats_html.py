"""Saved web pages: main text without boilerplate, metadata, charsets, and bad pages."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from desktop.core.errors import ImportFailed
from desktop.core.formats import ParsedFile, parser_for

BODY = (
    "<p>MOSCOW, March 5 (Xinhua) -- China and Russia signed an agreement on Tuesday to deepen "
    "cooperation in basic research, officials at the Russian Academy of Sciences said.</p>"
    "<p>The agreement covers joint laboratories in Novosibirsk and Harbin and exchanges of young "
    "scientists, according to academy president Alexander Sergeyev.</p>"
)
PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>China and Russia sign science pact | Xinhua</title>
<meta property="og:site_name" content="Xinhua News"><meta name="author" content="Wang Li">
<meta property="article:published_time" content="2019-03-05T10:00:00Z">
<link rel="canonical" href="https://example.org/news/123">
<link rel="stylesheet" href="https://cdn.example.org/site.css">
<script src="https://cdn.example.org/tracker.js"></script><script>document.write("INJECTED")</script>
<style>p {{ color: red }}</style></head>
<body><nav><ul><li>Home</li><li>World</li><li>Subscribe now</li></ul></nav>
<article><h1>China and Russia sign science pact</h1>{BODY}<img src="https://example.org/a.jpg"></article>
<div class="comments"><h3>Comments</h3><p>Reader comment: spam spam</p></div>
<footer>Copyright 2019 Xinhua</footer></body></html>"""


def parse(data: bytes, name: str = "page.html") -> ParsedFile:
    path = Path(name)
    return parser_for(path)(data, path)


def only_article(data: bytes, name: str = "page.html"):
    parsed = parse(data, name)
    assert len(parsed.articles) == 1
    return parsed.articles[0]


def test_main_text_is_kept_and_menus_scripts_styles_removed():
    text = only_article(PAGE.encode()).text
    assert "Novosibirsk and Harbin" in text
    for junk in ("Subscribe now", "INJECTED", "color: red", "Copyright 2019"):
        assert junk not in text


def test_metadata_fills_title_date_author_source_url():
    article = only_article(PAGE.encode())
    assert article.title == "China and Russia sign science pact"
    assert article.published == "2019-03-05"
    assert article.author == "Wang Li"
    assert article.source == "Xinhua News"
    assert article.url == "https://example.org/news/123"
    assert article.language == "en"


@pytest.mark.parametrize("suffix", [".html", ".htm", ".xhtml", ".HTML"])
def test_every_html_suffix_is_read(suffix):
    assert "Novosibirsk" in only_article(PAGE.encode(), f"page{suffix}").text


def test_parsing_opens_no_network_connection(monkeypatch):
    attempts = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    monkeypatch.setattr(socket, "create_connection", lambda *args, **kwargs: attempts.append(args))
    only_article(PAGE.encode())
    assert attempts == []


def russian_page(charset: str) -> str:
    return (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        "<title>Наука</title></head><body><article>"
        "<p>Российская академия наук и Китайская академия наук подписали соглашение о "
        "сотрудничестве в области фундаментальных исследований в Новосибирске.</p>"
        "<p>Соглашение предусматривает создание совместных лабораторий и обмен молодыми учёными.</p>"
        "</article></body></html>"
    )


def test_declared_windows_1251_page_is_decoded():
    article = only_article(russian_page("windows-1251").encode("cp1251"))
    assert "совместных лабораторий" in article.text


def test_page_declaring_utf8_but_written_in_windows_1251_is_still_decoded():
    article = only_article(russian_page("utf-8").encode("cp1251"))
    assert "совместных лабораторий" in article.text


def test_page_resaved_as_utf8_but_still_declaring_windows_1251_is_read_as_utf8():
    article = only_article(russian_page("windows-1251").encode("utf-8"))
    assert "совместных лабораторий" in article.text


def test_undeclared_gb18030_page_is_detected():
    sentence = "中国科学院与俄罗斯科学院签署了关于基础研究合作的协议，双方将在哈尔滨和新西伯利亚建立联合实验室。"
    page = f"<html><body><article><p>{sentence}</p><p>{sentence}</p></article></body></html>"
    assert "联合实验室" in only_article(page.encode("gb18030")).text


def test_latin_1_page_keeps_accents_and_pound_sign():
    page = (
        '<html><head><meta charset="iso-8859-1"></head><body><article>'
        "<p>The café in Zürich raised £5m for the joint research programme with partners.</p>"
        "<p>The société said the funding would last for five years and cover twelve laboratories.</p>"
        "</article></body></html>"
    )
    text = only_article(page.encode("latin-1")).text
    assert "café in Zürich raised £5m" in text


def test_utf16_page_with_byte_order_mark_is_decoded():
    assert "Novosibirsk and Harbin" in only_article(PAGE.replace("utf-8", "utf-16").encode("utf-16")).text


def test_deeply_nested_page_still_yields_its_text():
    page = "<html><body>" + "<div><span>" * 20000 + "Deeply buried words about the Harbin laboratory."
    assert "Harbin laboratory" in only_article(page.encode()).text


def test_page_of_unclosed_comments_and_tags_fails_without_hanging():
    with pytest.raises(ImportFailed, match="no article text found"):
        parse(b"<!--" * 100_000 + b"<a" * 100_000)


def test_text_after_a_self_closing_svg_is_kept():
    page = b"<div>Harbin<svg/> laboratory<svg><text>icon</text></svg> opened.</div>"
    assert only_article(page).text == "Harbin laboratory opened."


def test_html_fragment_yields_its_text():
    assert only_article(b"<p>Hello &amp; welcome to Harbin.</p>").text == "Hello & welcome to Harbin."


def test_page_without_text_fails_with_reason():
    with pytest.raises(ImportFailed, match="no article text found"):
        parse(b"<html><head><title>t</title></head><body><script>x()</script></body></html>")


def test_empty_file_fails_as_empty():
    with pytest.raises(ImportFailed, match="^empty file$"):
        parse(b"")


def test_binary_junk_named_html_fails_as_binary():
    junk = bytes(range(256)) * 64
    with pytest.raises(ImportFailed, match="not an HTML page: the file is binary data"):
        parse(junk)


def test_pdf_named_html_is_refused_as_pdf():
    with pytest.raises(ImportFailed, match="not an HTML page: the file is a PDF"):
        parse(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")


def test_page_over_the_size_limit_is_refused_with_the_limit():
    with pytest.raises(ImportFailed, match="larger than the 20 MB limit for an HTML page"):
        parse(b"<p>" + b"word " * (5 * 1024 * 1024))


# --- wire copy saved from the agencies' sites: the headline, date line and byline are metadata -------

XINHUA_PAGE = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>中俄科技合作创新论坛在哈尔滨举行-新华网</title></head><body>
<div class="header"><a href="/">首页</a> | <a href="/world">国际</a></div>
<div class="h-title">中俄科技合作创新论坛在哈尔滨举行</div>
<div class="h-info"><span class="h-time">2023-06-21 10:35:12</span> <span>来源：新华网</span></div>
<div id="detail">
<p>新华社哈尔滨6月21日电（记者王春雨）第四届中俄科技合作创新论坛21日在哈尔滨开幕。来自中国和俄罗斯的200多名科学家、企业家参加了论坛。</p>
<p>科技部副部长张广军在开幕式上表示，中俄两国在航天、核能、生物医药等领域的合作不断深化。</p>
</div>
<div class="editor">【责任编辑：李明】</div>
<div class="footer">【字体：大 中 小】 打印本页 关闭窗口</div></body></html>"""

PEOPLE_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>中俄签署航天合作协议--科技--人民网</title></head><body>
<div class="nav">人民网首页 &gt; 科技 &gt; 正文</div>
<h1>中俄签署航天合作协议</h1>
<div class="box01">2021年03月10日08:20 | 来源：人民网－科技频道</div>
<div class="rm_txt_con">
<p>本报北京3月9日电（记者 刘诗瑶）中国国家航天局与俄罗斯国家航天集团公司9日签署谅解备忘录，双方将合作建设国际月球科研站。</p>
<p>国际月球科研站是在月球表面和月球轨道上建设的综合性科学实验设施。中俄双方将共同开展设计、建设和运营工作。</p>
<p>（责编：王欲然、赵竹青）</p></div>
<div class="edit">分享到： 打印本页 返回顶部</div></body></html>"""

TASS_PAGE = """<!DOCTYPE html><html lang="ru"><head><meta charset="windows-1251">
<title>Россия и Китай создадут совместный центр по изучению вирусов - ТАСС</title>
<meta property="article:published_time" content="2023-03-14T12:05:00+03:00"></head><body>
<nav><a href="/">Главная</a> <a href="/nauka">Наука</a> Поделиться</nav>
<article><h1>Россия и Китай создадут совместный центр по изучению вирусов</h1>
<div class="date">14 марта 2023, 12:05</div>
<p>МОСКВА, 14 марта. /ТАСС/. Российские и китайские ученые создадут совместный научный центр по изучению вирусов в Новосибирске. Об этом сообщил ТАСС директор центра «Вектор» Ринат Максютов.</p>
<p>«Мы договорились с коллегами о совместных исследованиях», — сказал Максютов. По его словам, первые работы начнутся уже в этом году.</p>
</article><footer>Версия для печати © ТАСС 2023</footer></body></html>"""

NEWS_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Russia and China sign space research pact - BBC News</title></head><body>
<header><a href="/">Home</a> <a href="/news">News</a></header><main><article>
<h1>Russia and China sign space research pact</h1>
<p>By Jonathan Amos, Science correspondent</p>
<p>Published 9 March 2021</p>
<p>Russia and China have agreed to build a research station on the Moon, the two countries' space agencies said on Tuesday.</p>
<p>The memorandum was signed by Roscosmos chief Dmitry Rogozin and Zhang Kejian, head of the China National Space Administration, in a video call.</p>
</article></main></body></html>"""


@pytest.mark.parametrize("markup, encoding, title, source, author, published, opening", [
    (XINHUA_PAGE, "gbk", "中俄科技合作创新论坛在哈尔滨举行", "新华网", "王春雨", "2023-06-21", "新华社哈尔滨6月21日电"),
    (PEOPLE_PAGE, "utf-8", "中俄签署航天合作协议", "人民网", "刘诗瑶", "2021-03-10", "本报北京3月9日电"),
    (TASS_PAGE, "cp1251", "Россия и Китай создадут совместный центр по изучению вирусов", "ТАСС", None,
     "2023-03-14", "МОСКВА, 14 марта. /ТАСС/."),
    (NEWS_PAGE, "utf-8", "Russia and China sign space research pact", "BBC News", "Jonathan Amos", "2021-03-09",
     "Russia and China have agreed"),
], ids=["xinhua", "people", "tass", "english"])
def test_a_saved_wire_page_gives_its_outlet_and_byline_and_a_body_without_them(
        markup, encoding, title, source, author, published, opening):
    article = only_article(markup.encode(encoding))
    assert (article.title, article.source, article.author) == (title, source, author)
    assert (article.published or "").startswith(published)
    assert article.text.startswith(opening)  # no headline, date line or byline above the lead
    for furniture in ("责任编辑", "责编", "打印本页", "Версия для печати", "Published 9 March"):
        assert furniture not in article.text


@pytest.mark.parametrize("title", [
    "COVID-19 vaccine - the race", "Ростов-на-Дону принял гостей", "Why A-level results - and UCAS - matter",
])
def test_a_headline_keeps_its_own_dashes(title):
    from desktop.core.formats.html import without_site_name

    assert without_site_name(title, None) == (title, None)


def test_a_list_of_short_items_and_a_table_row_of_the_article_stay():
    page = (NEWS_PAGE.replace("</article>", "<p>The station will be run from:</p><ul><li>Moscow</li>"
                              "<li>Beijing</li><li>Harbin</li><li>Novosibirsk</li></ul>"
                              "<table><tr><td>Moscow</td><td>12</td><td>15</td></tr></table></article>"))
    text = only_article(page.encode()).text
    for item in ("Moscow", "Beijing", "Harbin", "Novosibirsk", "12", "15"):
        assert item in text.split("The station will be run from:")[1]
