"""Notices cast in one mould — the same template, other figures and names — are separate stories,
while a copy of one notice (another outlet's, with a dateline and a word changed) and the agency's
correction of it are one story with it."""

from __future__ import annotations

from desktop.core.stories import group_documents, story_ids
from desktop.core.stories_facts import contradict
from tests.core.helpers import add_article

BOND = ("{issuer} is issuing a {amount} mln Canadian dlr eurobond due April 9, 1992 paying {coupon} pct and "
        "priced at 100-3/4 pct, lead manager {manager} said.\n"
        "    The non-callable bond is available in denominations of 1,000 and 10,000 Canadian dlrs and "
        "will be listed in Luxembourg. It is guaranteed by {guarantor}. The selling concession is 1-1/4 "
        "pct, while management pays 1/4 pct and underwriting pays 3/8 pct.\n"
        "    The payment date is April 8 and there will be a long first coupon period.\n Reuter\n")
SCOTIA = BOND.format(issuer="Scotia Mortgage Corp", amount=100, coupon="8-3/4", manager="Wood Gundy Ltd",
                     guarantor="the Bank of Nova Scotia")
VICTORIA = BOND.format(issuer="Victorian Public Authorities Finance Agency", amount=150, coupon="8-1/2",
                       manager="Orion Royal Bank Ltd", guarantor="the State of Victoria")
FED = ("The Federal Reserve entered the U.S. Government securities market to arrange {amount} billion dlrs "
       "of customer repurchase agreements, a Fed spokesman said.\n"
       "    Dealers said Federal funds were trading at {rate} pct when the Fed began its temporary and "
       "indirect supply of reserves to the banking system.\n Reuter\n")


def _stories(db, *texts: str) -> list[int]:
    ids = [add_article(db, text, title=f"notice {n}", published="1987-03-03") for n, text in enumerate(texts)]
    with db.atomic():
        group_documents(db.conn, ids)
    found = story_ids(db.conn, ids)
    return [found[doc] for doc in ids]


def test_bond_issues_of_two_issuers_written_from_one_template_are_two_stories(library):
    first, other = _stories(library.db, SCOTIA, VICTORIA)
    assert first != other


def test_the_feds_operations_of_two_days_are_two_stories(library):
    monday, tuesday = _stories(library.db, FED.format(amount="1.5", rate="6-1/8"),
                               FED.format(amount="two", rate="6-3/16"))
    assert monday != tuesday


def test_another_outlets_copy_of_a_notice_is_one_story_with_it_and_not_with_the_other_issue(library):
    copy = "By Jane Holloway\n\nLONDON, March 3 - " + SCOTIA.replace("non-callable bond", "non-callable issue")
    first, other, copied = _stories(library.db, SCOTIA, VICTORIA, copy)
    assert first == copied != other


def test_the_agencys_correction_of_a_figure_is_one_story_with_the_notice(library):
    corrected = "(Corrects coupon to 8-5/8 pct)\n" + SCOTIA.replace("8-3/4 pct", "8-5/8 pct")
    first, other, correction = _stories(library.db, SCOTIA, VICTORIA, corrected)
    assert first == correction != other


def test_copies_of_a_long_report_with_words_changed_do_not_contradict_each_other():
    report = " ".join(f"Exports rose {n} pct in month {n + 1} while imports of grain fell by {n * 3} mln "
                      f"tonnes, the ministry in Ottawa said." for n in range(10, 30))
    copy = report.replace("the ministry in", "officials in", 3).replace("grain fell", "wheat fell", 2)
    assert not contradict(report, copy)
    assert contradict(SCOTIA, VICTORIA)
