"""English word frequencies from wordfreq's bundled data (nothing downloaded at run time).

wordfreq was chosen over symspellpy and pyspellchecker: its 321k-word English list loads
in about 0.1 s and answers dict look-ups, and its Zipf scale separates common words from
rare names well enough to tell "account" (a word) from "Kratzios" (not one).
"""

from __future__ import annotations

import math
from functools import cache


@cache
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    table: dict[str, float] = get_frequency_dict("en", wordlist="large")
    return table


def zipf(word: str) -> float:
    """Zipf frequency (log10 per billion words) of ``word``, case-folded; 0 when unknown.

    >>> zipf("the") > 7 and zipf("qxzvb") == 0
    True
    """
    freq = _frequencies().get(word.lower(), 0.0)
    return math.log10(freq * 1e9) if freq > 0 else 0.0
