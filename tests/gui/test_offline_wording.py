"""docs/RULES.md states the offline rules in the very sentences the counter's banner and its
declines use (pos_app/gui/offline_wording.py): a change to one wording that is not made in the
other fails here. Each offline decline reason the terminal can give is worded."""

from __future__ import annotations

import re
from pathlib import Path

from pos_app.gui import offline_wording

RULES_MD = Path(__file__).resolve().parents[2] / "docs" / "RULES.md"
POLICY = Path(__file__).resolve().parents[2] / "pos_app" / "terminal" / "offline_policy.py"
GRANTS = POLICY.with_name("grants.py")


def test_rules_md_quotes_every_offline_rule_and_decline_word_for_word():
    doc = " ".join(RULES_MD.read_text(encoding="utf-8").split())
    for name, sentence in offline_wording.RULES.items():
        assert sentence.replace("%1", "X") in doc, name
    for reason, (happened, _rule) in offline_wording.DECLINES.items():
        assert f"`{reason}`" in doc, reason
        assert happened in doc, reason


def test_every_offline_decline_the_terminal_gives_has_its_own_wording():
    given = set(re.findall(r'"((?:offline|grant|no_offline)_[a-z_]+)"',
                           POLICY.read_text(encoding="utf-8") + GRANTS.read_text("utf-8")))
    assert given and given <= set(offline_wording.DECLINES), given - set(offline_wording.DECLINES)
    assert {"offline_card_used", "offline_limit", "offline_till_total"} <= given
