"""Chinese news copy for ``newsmeta``: line measures in characters, dates, outlets, bylines, furniture.

Chinese puts no spaces between words, so a line's length is counted in Han
characters (``HAN_CHARS_PER_WORD`` of them standing for one word of spaced
text). The patterns read the date lines and bylines of Xinhua, People's Daily
and China News Service pages ("2019年03月13日08:20  来源：人民网", "新华社北京3月13日电
（记者 张三）") and name the widgets of their web copy.
"""

from __future__ import annotations

import re

HAN_CHARS_PER_WORD = 2
HEADLINE_MAX_CHARS = 40

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

SENTENCE_ENDS = "。！？；"
CLOSING = "”’」』）》"

DATE = r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
DATE_LABELS = r"发布时间|发布日期|更新时间|时间|日期"
LABELS = r"责任编辑|发布时间|发布日期|更新时间|来源|时间|日期|作者|记者|编辑|责编"
OUTLETS = (
    r"新华社|新华网|人民日报|人民网|中新社|中新网|中国新闻网|光明日报|中国日报|科技日报|央视新闻|环球时报"
    r"|中国科学报|中国青年报|经济日报|参考消息|解放日报|文汇报|北京日报|澎湃新闻|央视网|国际在线|中央社|联合早报"
)
FURNITURE = (
    r"(?:(?:【\s*字体\s*[：:]\s*大\s*中\s*小\s*】|【\s*(?:纠错|打印|关闭|收藏|分享)\s*】|打印本页|打印|关闭窗口"
    r"|分享到\s*[：:]?|纠错"
    r"|收藏本文|推荐给朋友|返回顶部|相关新闻|延伸阅读)\s*)+"
    r"|[（(【\[]?\s*(?:责任编辑|责编|编辑)\s*[：:\s]\s*[^。！？]{0,30}?[）)】\]]?"
    r"|[（(]\s*完\s*[）)]"  # Xinhua's end mark
    r"|[\u4e00-\u9fff]{1,10}(?:\s*(?:>>|>|»)\s*[\u4e00-\u9fff]{1,10})+"
)
RELATED = r"相关新闻|相关阅读|延伸阅读|推荐阅读"
# "新华社北京3月13日电（记者 张三 李四）": the wire's lead, with its reporters.
LEAD_AGENCY = re.compile(
    rf"^(?:本报)?(?P<outlet>{OUTLETS})?[^\s，。（(]{{0,12}}?\d{{1,2}}月\d{{1,2}}日电\s*"
    r"(?:[（(]\s*(?:记者|通讯员)\s*(?P<author>[^）)]{1,30}?)\s*[）)])?"
)
BYLINE = re.compile(
    rf"^[（(]?(?:本报|{OUTLETS})?(?:记者|作者)\s*[：:\s]\s*(?P<name>[^\s，。：:（）()]{{2,4}}(?:[ 　、][^\s，。：:（）()]{{2,4}}){{0,3}})[）)]?$"
)
"""A reporter's row: "记者 张三", "本报记者 张三", "新华社记者 张三", "（记者 张三）"."""


def has_han(line: str) -> bool:
    """Whether ``line`` holds a Han character."""
    return not line.isascii() and bool(_HAN.search(line))


def word_count(line: str) -> int:
    """Words of ``line`` with each run of Han characters counted by its length in characters."""
    han = sum(len(run) for run in _HAN_RUN.findall(line))
    spaced = len(_HAN_RUN.sub(" ", line).split())
    return spaced + -(-han // HAN_CHARS_PER_WORD)


def ends_sentence(line: str) -> bool:
    """Whether ``line`` closes with Chinese final punctuation (after any closing quote)."""
    return line.rstrip(CLOSING + "\"'")[-1:] in SENTENCE_ENDS


def could_be_headline(line: str) -> bool:
    """A Chinese headline is a short line without final punctuation."""
    return len(line) <= HEADLINE_MAX_CHARS and not ends_sentence(line)
