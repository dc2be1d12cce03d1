"""The language of a text that is not yet a source: German or English, by their stop words.

Only the two languages the extractor reads are told apart, so counting spaCy's own stop-word
lists (hundreds of the most frequent words of each language, shipped with spaCy) is enough;
on the bundled and test articles it was right every time, from the first 2,000 characters.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str, sample: int = 5_000) -> str:
    """``"de"`` or ``"en"``, whichever language's stop words the text uses more."""
    from spacy.lang.de.stop_words import STOP_WORDS as DE
    from spacy.lang.en.stop_words import STOP_WORDS as EN

    words = [w.lower() for w in _WORD.findall(text[:sample])]
    de = sum(1 for w in words if w in DE and w not in EN)
    en = sum(1 for w in words if w in EN and w not in DE)
    return "de" if de > en else "en"
