"""The Tantivy index: its schema, its word analysis per language, and opening it.

The database is the record; this index is derived from it (library.search.index keeps it
in step, `manage.py reindex` rebuilds it) and lives in the folder
`settings.BAGGRUND_SEARCH_INDEX_DIR`. One document per passage that is searched (not
boilerplate):

    id, bilag, number, ordinal       ids to fetch the page from the database
    text_<config>                    the text, analysed in its language only: Snowball stems
                                     (danish, norwegian, swedish, english, german, french)
                                     or lower-case words (simple, for "und"); stop words
                                     are kept, so phrases hold them; the query decides
    words                            every passage's lower-case words, unstemmed, for
                                     prefixes (flygt*) and leave-outs in any language
    acronym                          all-capital words as written (IS, SDF, PKK, ISIL)
    language, country, publisher,    fast fields: filters, facets, sorts
    withdrawn, topic, published,
    published_precision, intake
    sort_newest/oldest/intake        one unique key per date order (ties by bilag, passage)
    prior                            the passage's length, for BM25's weight (see `PRIOR_CAP`)

Every process opens the folder once; readers reload when another process has committed
(`searcher()` looks at the index's meta.json), and writers take a file lock first, so
gunicorn workers, the ingest command and web uploads share one index.
"""

import contextlib
import fcntl
import json
import logging
import shutil
import threading
import time
from pathlib import Path

import tantivy
from django.conf import settings
from django.utils.translation import gettext as _

from library import languages

logger = logging.getLogger(__name__)

# Raised when the schema or the analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = 2  # 2: the length weight capped at 80 words
LONGEST_WORD = 80  # characters; longer "words" (URLs, base64) are not indexed
# A passage's words, capped here, weight its BM25 score by log2(2 + words): a two-word
# crosshead that names the subject does not outrank the paragraph about it.
PRIOR_CAP = 80
ACRONYM_PATTERN = r"\b\p{Lu}[\p{Lu}\p{Nd}]*\p{Lu}[\p{Lu}\p{Nd}]*\b"
SETTINGS_FILE = "baggrund-index.json"
LOCK_FILE = ".baggrund-writer.lock"
WRITER_HEAP = 64_000_000


class IndexLockTimeout(RuntimeError):
    """Another process held the index's write lock for longer than the wait allowed."""


class IndexUnavailable(RuntimeError):
    """The index folder cannot be opened or read (damaged, unreadable, disk full)."""


def text_field(config: str) -> str:
    return f"text_{config}"


TEXT_FIELDS = {config: text_field(config) for config in languages.CONFIGS}
U64_FIELDS = ("bilag", "number", "ordinal", "publisher", "withdrawn", "topic")
U64_FIELDS += ("published_precision", "sort_newest", "sort_oldest", "sort_intake")
I64_FIELDS = ("published", "intake")


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=False, indexed=True, fast=True)
    for name in U64_FIELDS:
        builder.add_unsigned_field(name, stored=False, indexed=True, fast=True)
    for name in I64_FIELDS:
        builder.add_integer_field(name, stored=False, indexed=True, fast=True)
    builder.add_float_field("prior", stored=False, indexed=False, fast=True)
    for name in ("language", "country"):
        builder.add_text_field(name, stored=False, fast=True, tokenizer_name="raw")
    for config, field in TEXT_FIELDS.items():
        builder.add_text_field(field, stored=False, tokenizer_name=f"b_{config}")
    builder.add_text_field("words", tokenizer_name="b_simple", index_option="basic")
    builder.add_text_field("acronym", tokenizer_name="b_acronym", index_option="freq")
    return builder.build()


SCHEMA = _schema()


def _analyzer(config: str) -> tantivy.TextAnalyzer:
    """Words as library.languages splits them, lower-cased, stemmed (except simple)."""
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(LONGEST_WORD))
        .filter(tantivy.Filter.lowercase())
    )
    if config != languages.SIMPLE:
        builder = builder.filter(tantivy.Filter.stemmer(config))
    return builder.build()


ANALYZERS = {config: _analyzer(config) for config in languages.CONFIGS}
ACRONYMS = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(ACRONYM_PATTERN)).build()


def analyze(text: str, config: str) -> list[str]:
    """The terms `config`'s field holds for `text` (stop words included)."""
    return ANALYZERS[config].analyze(text)


def acronyms(text: str) -> list[str]:
    return ACRONYMS.analyze(text)


def _register(index: tantivy.Index) -> tantivy.Index:
    for config, analyzer in ANALYZERS.items():
        index.register_tokenizer(f"b_{config}", analyzer)
    index.register_tokenizer("b_acronym", ACRONYMS)
    return index


def index_dir() -> Path:
    return Path(settings.BAGGRUND_SEARCH_INDEX_DIR)


def _settings_match(path: Path) -> bool:
    try:
        data = json.loads((path / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return data.get("schema_version") == SCHEMA_VERSION and (path / "meta.json").exists()


class SearchIndex:
    """The open index of one folder, shared by the threads of a process."""

    def __init__(self, path: Path):
        self.path = path
        self.started = False  # library.search.index.ensure_built has run for it
        path.mkdir(parents=True, exist_ok=True)
        if not _settings_match(path):  # a reader never waits for a writer's lock
            with self.write_lock():
                if not _settings_match(path):
                    self._create()
        self.index = _register(tantivy.Index.open(str(path)))
        self._seen = self._meta_stamp()
        self._mutex = threading.Lock()

    def _create(self) -> None:
        """A new empty index (the folder's old one, of another version, is removed)."""
        for child in self.path.iterdir():
            if child.name == LOCK_FILE:
                continue
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        tantivy.Index(SCHEMA, path=str(self.path))
        self._write_settings(built=False)
        logger.info("created an empty search index in %s", self.path)

    def _write_settings(self, *, built: bool) -> None:
        (self.path / SETTINGS_FILE).write_text(
            json.dumps({"schema_version": SCHEMA_VERSION, "built": built}), encoding="utf-8"
        )

    def built(self) -> bool:
        """Whether the index was ever filled from the database (a new folder, or one of
        another schema, is not until `reindex_all` has run to its end, in any process)."""
        try:
            data = json.loads((self.path / SETTINGS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return bool(data.get("built"))

    def mark_built(self) -> None:
        self._write_settings(built=True)

    def _meta_stamp(self) -> tuple[int, int]:
        try:
            stat = (self.path / "meta.json").stat()
        except OSError:
            return (0, 0)
        return (stat.st_mtime_ns, stat.st_size)

    def version(self) -> tuple:
        """Changes with every commit of the index, by any process (meta.json's stat)."""
        return (str(self.path), *self._meta_stamp())

    def searcher(self) -> tantivy.Searcher:
        """A searcher of the last commit, whichever process made it."""
        stamp = self._meta_stamp()
        if stamp != self._seen:
            with self._mutex:
                self.index.reload()
                self._seen = stamp
        return self.index.searcher()

    def reload(self) -> None:
        with self._mutex:
            self.index.reload()
            self._seen = self._meta_stamp()

    @contextlib.contextmanager
    def write_lock(self, *, wait: float | None = None, blocking: bool = True):
        """The one writer of the folder, across processes (yields False if not blocking
        and another process holds it)."""
        wait = settings.BAGGRUND_SEARCH_LOCK_SECONDS if wait is None else wait
        with open(self.path / LOCK_FILE, "a+b") as handle:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not blocking:
                        yield False
                        return
                    if time.monotonic() > deadline:
                        raise IndexLockTimeout(
                            _("The search index in %(path)s stayed locked for %(seconds)s s.")
                            % {"path": self.path, "seconds": wait}
                        ) from None
                    time.sleep(0.02)
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def writer(self, *, heap: int = WRITER_HEAP, threads: int = 1):
        """A Tantivy writer (inside write_lock): committed on success, else rolled back."""
        writer = self.index.writer(heap_size=heap, num_threads=threads)
        try:
            yield writer
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            with contextlib.suppress(Exception):
                writer.rollback()
            raise
        finally:
            del writer
        self.reload()


_open: dict[str, SearchIndex] = {}
_open_mutex = threading.Lock()


def get_index() -> SearchIndex:
    """This process's index of BAGGRUND_SEARCH_INDEX_DIR (opened, or created, once)."""
    path = index_dir().resolve()
    key = str(path)
    found = _open.get(key)
    if found is not None and found.path.exists():
        return found
    with _open_mutex:
        found = _open.get(key)
        if found is None or not found.path.exists():
            _open.clear()  # tests give every test a folder of its own
            try:
                found = _open[key] = SearchIndex(path)
            except (OSError, ValueError) as exc:
                raise IndexUnavailable(f"{path}: {exc}") from exc
    return found


def size_bytes(path: Path | None = None) -> int:
    """Bytes the index folder takes on disk."""
    path = path or index_dir()
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
