"""Language of a bilag's text: Danish, Norwegian Bokmål, English (and a few neighbours).

Danish and Bokmål share most of their vocabulary, so general-purpose detectors often
confuse them on short news texts. What tells them apart reliably is a small set of
frequent function words and spellings that differ ("af"/"av", "efter"/"etter",
"siger"/"sier", "blev"/"ble", "nogle"/"noen"), so this module counts exactly those.
It only has to choose among the languages Baggrund has a search configuration for.
"""

import re
from collections import Counter

from library.languages import UNDETERMINED

# Words frequent in one language and rare or absent in the others it is compared with.
_MARKER_WORDS = {
    "da": """af efter siger sagde blev bliver nogle noget hvad mellem tilbage gennem meget igen
        kun sig mig dig hende havde ud op nu mod kvinder børn fortsat øjeblikket endnu blevet
        mere""",
    "nb": """av etter sier sa ble blir noen noe hva mellom tilbake gjennom mye igjen bare seg
        meg deg henne hadde ut opp nå mot kvinner barn fortsatt ennå ikkje å blitt mer""",
    "sv": """och inte att är för till jag från också eller av efter sade blev några mellan
        tillbaka genom mycket igen bara sig mig henne hade ut upp nu mot""",
    "en": """the and of in is was that with on from said has are were which this they their
        been would""",
    "de": """und die das nicht ist von zu auf für sich eine einem wurde sind auch""",
}
_MARKERS = {lang: frozenset(words.split()) for lang, words in _MARKER_WORDS.items()}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def detect_language(text: str, *, minimum_hits: int = 3) -> str:
    """Return 'da', 'nb', 'sv', 'en', 'de', or 'und' when the text says too little.

    Counts marker words among the first 5,000 words. A language needs at least
    `minimum_hits` markers and strictly more than any other to win.
    """
    words = [w.lower() for w in _WORD.findall(text[:60_000])][:5000]
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in markers) for lang, markers in _MARKERS.items()}
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, best_score), (_, second_score) = ranked[0], ranked[1]
    if best_score < minimum_hits or best_score == second_score:
        return UNDETERMINED
    return best
