"""Patterns of transliterated Chinese and Russian personal names.

They confirm or relabel a span the model already found; they never create an
entity on their own. The surname list is the common Chinese family names in
pinyin (a public, general list), the rest are spelling patterns.
"""

from __future__ import annotations

import re

CHINESE_SURNAMES = frozenset(
    """
    Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo
    Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Yuan Pan Yu Jiang
    Cai Jia Ding Wei Xue Ye Yan Du Dai Xia Zhong Fu Shen Qin Lu Ren Yao Tan Liao Zou Xiong
    Jin Hao Kong Bai Cui Kang Mao Qiu Gu Hou Shao Meng Long Wan Duan Lei Qian Yin Chang
    Wen Yi Qiao Niu Fan Mo Shi Lai Gong Xing Hong Qi Bao Chu Geng Guan Ji Ling Mu Ning
    Ou Pang Qu Rao Sheng Su Tao Wei Xi Xin Yue Zhan Zhuang Zhai Zuo Bi Cheng Chi Dou Fang
    Ge Hang Hua Kou Lan Lian Miao Nie Ruan Shang Shu Si Tong Wo Xiang Yong You Zhen Zhuo
    Ouyang Sima Zhuge Shangguan
    """.split()
)

_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINAL = (
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu"
    r"|ua|uo|ui|ue|ve|er|a|o|e|i|u|v)"
)
_SYLLABLE = _INITIAL + _FINAL
_PINYIN_GIVEN = re.compile(rf"(?:{_SYLLABLE})(?:['-]?{_SYLLABLE})?", re.IGNORECASE)

_PATRONYMIC = re.compile(r"[A-Z][a-z]+(?:ovich|evich|ovna|evna|ichna)")
_RUSSIAN_SURNAME = re.compile(
    r"[A-Z][a-z]+(?:ov|ev|yov|ova|eva|(?<![aeiou])(?:in|ina|yn|yna)|sky|skiy|skii|skaya|ski|enko)"
)
_CAPITALISED = re.compile(r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?")


def is_pinyin_given_name(word: str) -> bool:
    """True when ``word`` is one or two pinyin syllables spelt as a given name ("Zhijun")."""
    return bool(_CAPITALISED.fullmatch(word)) and bool(_PINYIN_GIVEN.fullmatch(word))


def is_chinese_name(words: list[str]) -> bool:
    """A family name from the common list followed by a pinyin given name ("Chen Linhao")."""
    return (
        len(words) == 2
        and words[0] in CHINESE_SURNAMES
        and is_pinyin_given_name(words[1])
    )


def is_patronymic(word: str) -> bool:
    """A Russian patronymic such as "Vladimirovich" or "Ivanovna"."""
    return bool(_PATRONYMIC.fullmatch(word)) and len(word) > 6


def is_russian_surname(word: str) -> bool:
    """A word spelt like a Russian family name ("Denisov", "Shadrin")."""
    return bool(_RUSSIAN_SURNAME.fullmatch(word)) and len(word) > 4


def is_russian_name(words: list[str]) -> bool:
    """A patronymic among two or three capitalised words ("Gusev Vladimirovich"), or a given
    name followed by a Russian surname ("Andrei Denisov")."""
    if not 2 <= len(words) <= 3 or not all(_CAPITALISED.fullmatch(w) for w in words):
        return False
    if any(is_patronymic(w) for w in words):
        return True
    return len(words[0]) > 2 and is_russian_surname(words[-1])


def looks_like_person(words: list[str]) -> bool:
    """True when ``words`` match a transliterated Chinese or Russian personal name."""
    return is_chinese_name(words) or is_russian_name(words)

