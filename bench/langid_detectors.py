"""The language detectors bench/langid_bench.py compares, each mapped to Baggrund's codes.

Every detector has `name`, `load()` (builds models; timed apart) and `detect(text)`,
which returns `(code, scores)`: one of Baggrund's codes (da, nb, nn, sv, en, de, fr,
another ISO code as the detector gives it, or 'und') and, where the detector has them,
its scores by code (lingua's confidence values, py3langid's normalised probability).
"""

import inspect
import subprocess
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UND = "und"
SIX = ("da", "nb", "nn", "sv", "en", "de")
SEVEN = (*SIX, "fr")
# py3langid 0.4.0 knows 'no' (Norwegian, in practice Bokmål) and 'nn'; it has no 'nb'.
PY3LANGID_CODES = {"no": "nb"}
_TO_PY3LANGID = {"nb": "no"}


class Lingua:
    """lingua-language-detector 2.x restricted to `codes`, all models preloaded."""

    def __init__(self, codes=SIX, *, low_accuracy=False):
        self.codes = codes
        self.low_accuracy = low_accuracy
        mode = "low" if low_accuracy else "high"
        self.name = f"lingua-{len(codes)}-{mode}"
        self._detector = None

    def load(self):
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        languages = [
            Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in self.codes
        ]
        builder = LanguageDetectorBuilder.from_languages(*languages)
        if self.low_accuracy:
            builder = builder.with_low_accuracy_mode()
        self._detector = builder.with_preloaded_language_models().build()

    def detect(self, text):
        """The most confident language (what detect_language_of answers at the default
        minimum relative distance 0); 'und' when every value is 0 (no letters)."""
        values = self._detector.compute_language_confidence_values(text)
        scores = {v.language.iso_code_639_1.name.lower(): v.value for v in values}
        if not values or values[0].value <= 0.0:
            return UND, scores
        return values[0].language.iso_code_639_1.name.lower(), scores


class Py3Langid:
    """py3langid restricted to `codes` (nb asked as 'no', answered 'no' -> nb)."""

    def __init__(self, codes=SIX):
        self.codes = codes
        self.name = f"py3langid-{len(codes)}"
        self._identifier = None

    def load(self):
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        identifier.set_languages([_TO_PY3LANGID.get(c, c) for c in self.codes])
        self._identifier = identifier

    def detect(self, text):
        """Its best label; 'und' when the text has no features (all classes equal)."""
        ranked = self._identifier.rank(text)
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            return UND, {}
        scores = {PY3LANGID_CODES.get(code, code): p for code, p in ranked}
        return PY3LANGID_CODES.get(ranked[0][0], ranked[0][0]), scores


class Baggrund:
    """Baggrund's marker-word counts: detect_language of library/ingest/language.py as
    committed at `rev` (git show), so that edits in the work tree do not change what is
    measured. `minimum_hits` is passed only to a version that takes it."""

    rev = "HEAD"  # bench/langid_bench.py sets it from --baggrund-rev

    def __init__(self, minimum_hits=3):
        self.minimum_hits = minimum_hits
        self.name = "baggrund" if minimum_hits == 3 else f"baggrund-hits{minimum_hits}"
        self._detect = None
        self._kwargs = {}

    def load(self):
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        path = "library/ingest/language.py"
        git = ["git", "-C", str(ROOT), "show", f"{self.rev}:{path}"]
        source = subprocess.run(git, capture_output=True, text=True, check=True).stdout
        module = types.ModuleType("baggrund_language")
        exec(compile(source, f"{self.rev}:{path}", "exec"), module.__dict__)
        self._detect = module.detect_language
        if "minimum_hits" in inspect.signature(self._detect).parameters:
            self._kwargs = {"minimum_hits": self.minimum_hits}

    def detect(self, text):
        return self._detect(text, **self._kwargs), None


def commit_of(rev):
    """The commit a revision names, for the report."""
    git = ["git", "-C", str(ROOT), "rev-parse", "--short", rev]
    return subprocess.run(git, capture_output=True, text=True, check=True).stdout.strip()


def make(name):
    """A detector by its name in the tables (the probe child builds it from that)."""
    table = {
        "lingua-6-high": lambda: Lingua(SIX),
        "lingua-6-low": lambda: Lingua(SIX, low_accuracy=True),
        "lingua-7-high": lambda: Lingua(SEVEN),
        "lingua-7-low": lambda: Lingua(SEVEN, low_accuracy=True),
        "py3langid-6": lambda: Py3Langid(SIX),
        "py3langid-7": lambda: Py3Langid(SEVEN),
        "baggrund": lambda: Baggrund(3),
    }
    return table[name]()


NAMES = (
    "lingua-6-high",
    "lingua-6-low",
    "lingua-7-high",
    "lingua-7-low",
    "py3langid-6",
    "py3langid-7",
    "baggrund",
)
