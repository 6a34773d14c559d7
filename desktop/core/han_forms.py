"""One form for each Han character: traditional characters read as their simplified ones.

Chinese copy comes simplified (经济, 俄罗斯) from the mainland and traditional (經濟, 俄羅斯)
from Taiwan, Hong Kong and overseas outlets. The search index, its queries, the reader's
hit marks and the romanised keys of entity names all read a Han character through
``simplified_table``, so that the two forms find each other. The table is character for
character (one traditional character, one simplified one), so every offset into a text stays
right; it is the single characters of the MediaWiki conversion table that the ``zhconv``
package ships (``zh2Hans``), plus 著 → 着, which Taiwan writes for 着 (看著, 接著) and
the mainland keeps for 著名: both forms of a text are read alike.

The table's JSON file is read from the installed package without importing it (its module
imports ``pkg_resources`` at a cost of about 0.2 s); nothing is downloaded.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

_EXTRA = {"著": "着"}


@lru_cache(maxsize=1)
def simplified_table() -> dict[int, str]:
    """``str.translate`` table: each traditional Han character (its code) → its simplified one."""
    from .han_pairs import HAN  # han_pairs reads this table in turn

    spec = find_spec("zhconv")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("zhconv is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "zhcdict.json"
    pairs = json.loads(path.read_text(encoding="utf-8"))["zh2Hans"] | _EXTRA
    han = re.compile(f"[{HAN}]")
    return {ord(traditional): simplified for traditional, simplified in pairs.items()
            if len(traditional) == 1 and len(simplified) == 1 and traditional != simplified
            and han.match(traditional) and han.match(simplified)}


def simplified(text: str) -> str:
    """``text`` with each traditional Han character as its simplified one (same length)."""
    return text if text.isascii() else text.translate(simplified_table())
