"""The search tests' library: small bilag in three languages, ingested with the real
service (`bilag_ingest`) so the search index is filled exactly as in production, each
passage known by name (see DOCS); and readers of the search page's HTML."""

import datetime as dt
import re

from library.models import Bilag, Publisher
from library.search.results import SearchResults
from library.search.selectors import passage_search
from tests.library.boarddocs import Doc

TODAY = dt.date(2024, 6, 1)

DA = Doc(
    101,
    "Syrien",
    "Landinfo",
    "Lejrene i det østlige Syrien",
    "2019-02-01",
    "2019-03-01",
    "da",
    {
        "da_lejrene": "Tusinder af kvinder og børn bor stadig i lejrene nord for byen.",
        "da_lejren": "Nødhjælpen til lejren blev standset efter angrebet i sidste uge.",
        "da_hajin_syrien": (
            "Kampene omkring Hajin i det østlige Syriens grænseområde fortsatte hele vinteren."
        ),
        "da_hajin": "Beboerne i Hajin siger, at de flygtede fra byen om natten.",
        # Boilerplate (a cookie notice): it mentions Hajin and lejrene but must never match.
        "da_cookie": "Vi bruger cookies til at følge nyhederne fra Hajin og lejrene.",
    },
)
NB = Doc(
    102,
    "Syrien",
    "VG",
    "Leirene i det østlige Syria",
    "2018-11-01",
    "2019-04-01",
    "nb",
    {
        "nb_leirene": "Tusenvis av kvinner og barn bor fortsatt i leirene nord for byen.",
        "nb_leiren": "Nødhjelpen til leiren ble stanset etter angrepet forrige uke.",
        "nb_hajin_syrien": "Kampene rundt Hajin i det østlige Syrien fortsatte hele vinteren.",
        "nb_hajin": "Innbyggerne i Hajin sier at de flyktet fra byen om natten.",
    },
)
EN = Doc(
    103,
    "Syrien",
    "BBC News",
    "The camps of eastern Syria",
    "2018-09-11",
    "2018-10-11",
    "en",
    {
        "en_camps": "Thousands of women and children still live in the camps north of the town.",
        "en_camp": "Aid to the camp was halted after the attack last week.",
        "en_hajin_syrien": (
            "The fighting around Hajin, which the Danish reports call Syrien, went on all winter."
        ),
        "en_hajin": "Residents of Hajin said they fled the town at night.",
        "en_corridor": "A humanitarian corridor was opened for civilians leaving the area.",
        "en_corridor_reversed": "The corridor was humanitarian in name only, aid workers said.",
    },
)
IQ = Doc(
    104,
    "Irak",
    "Landinfo",
    "Flygtningelejren ved Mosul",
    "2020-05-01",
    "2020-06-01",
    "da",
    {
        "iq_flygtningelejren": "Flygtningelejren ved Mosul rummer nu over tyve tusinde mennesker.",
        "iq_rapport": "Rapporten bygger på samtaler med myndighederne i Bagdad.",
    },
)
AF_WITHDRAWN = Doc(
    105,
    "Afghanistan",
    "UNHCR",
    "Returnees in Kabul",
    "2017-01-01",
    "2017-02-01",
    "en",
    {
        "af_camp": "Returned refugees in Kabul described the camp conditions as harsh.",
        "af_kabul": "Many families in Kabul have no shelter for the coming winter.",
    },
)
DOCS = [DA, NB, EN, IQ, AF_WITHDRAWN]
BOILERPLATE = {"da_cookie"}

WELLS = Doc(
    106,
    "Libanon",
    "Amnesty International",
    "Wells of the Bekaa valley",
    "2016-01-01",
    "2016-02-01",
    "en",
    {
        f"well_{n:02d}": f"Well number {n} in the Bekaa valley has been dry since the spring."
        for n in range(1, 26)
    },
)

HOSTILE = Doc(
    107,
    "Syrien",
    "Landinfo",
    "<script>alert(1)</script> leaflet report <b>bold</b>",
    "2019-05-01",
    "2019-06-01",
    "en",
    {
        "script": "Witnesses copied the leaflet <script>alert(1)</script> word for word.",
        "img": "An image tag <img src=x onerror=alert(1)> was pasted into the leaflet.",
        "entity": "The markup &lt;b&gt; appeared literally in the leaflet.",
        "unterminated": "The leaflet ended in the middle of <img src=x onerror=alert(1)",
    },
)


def ingest(doc: Doc) -> Bilag:
    return doc.ingest(TODAY)


class Corpus:
    """Ingested documents; knows each passage's name by (bilag number, ordinal)."""

    def __init__(self, *docs: Doc):
        self.where: dict[str, tuple[int, int]] = {}
        self.name: dict[tuple[int, int], str] = {}
        for doc in docs:
            self.add(doc)

    def add(self, doc: Doc) -> Bilag:
        bilag = ingest(doc)
        passages = {p.text: p for p in bilag.passages.all()}
        assert len(passages) == len(doc.paragraphs), "each paragraph is one passage"
        for key, text in doc.paragraphs.items():
            passage = passages[text]
            assert passage.boilerplate == (key in BOILERPLATE), key
            assert passage.language == doc.language
            self.where[key] = (doc.number, passage.ordinal)
            self.name[(doc.number, passage.ordinal)] = key
        return bilag

    def key(self, hit) -> str:
        location = (hit.bilag.number, hit.passage.ordinal)
        return self.name.get(location, repr(location))

    def keys(self, results: SearchResults) -> list[str]:
        return [self.key(hit) for hit in results.hits]

    def found(self, query: str = "", **filters) -> set[str]:
        results = search(query, **filters)
        assert len(results.hits) == results.total, "every hit fits on one page"
        return set(self.keys(results))

    def content(self, *docs: Doc) -> set[str]:
        return {key for doc in docs for key in doc.paragraphs if key not in BOILERPLATE}


def search(query: str = "", sort: str = "", page=1, per_page: int = 100, **filters):
    results = passage_search(query=query, filters=filters, sort=sort, page=page, per_page=per_page)
    assert not results.error, results.error
    assert results.searched
    return results


def publisher_id(name: str) -> str:
    return str(Publisher.objects.get(name=name).pk)


# --- the search page, read back ----------------------------------------------------------

RESULTS_SECTION = re.compile(r'<section class="results"[^>]*>(.*?)</section>', re.S)
SNIPPET = re.compile(r'<p class="snippet"[^>]*>(.*?)</p>', re.S)
HIT_REF = re.compile(r'<a href="/bilag/(\d+)/[^"#]*#p(\d+)">')
TAG = re.compile(r"<\s*/?\s*([a-zA-Z]+)")


def results_section(response) -> str:
    sections = RESULTS_SECTION.findall(response.content.decode())
    assert len(sections) == 1
    return sections[0]


def tag_names(html: str) -> set[str]:
    return {name.lower() for name in TAG.findall(html)}


def unmarked(html: str) -> str:
    return re.sub(r"</?mark>", "", html)
