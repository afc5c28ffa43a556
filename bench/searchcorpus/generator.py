"""The search corpus's bilag and passages, generated from a seed, a chunk at a time.

Danish, Norwegian (Bokmål) and English bilag (35/35/30 %), about 27 passages each: a
passage is 1-5 sentences, each a template about camps, foreign fighters, civilian
casualties, air strikes, detention (50 %), a seed text's sentence with its numbers
changed (12 %), or a run of Zipf-drawn words (38 %). About one passage in 27 is
boilerplate, placed where a web page puts it. 15 countries (Syria most), 60 publishers
(Zipf), published 2010-2026 with day, month or year precision, intake after it, 2 %
withdrawn. Everything comes from the seed: the same arguments give the same corpus.
"""

import bisect
import datetime as dt
import hashlib
import random
import re

from bench import vocabulary
from bench.searchcorpus.words import Language, seed_sentences, zipf_cumulative

# Fixed rather than today, so that a seed always gives the same corpus.
FIRST_PUBLISHED = dt.date(2010, 1, 1)
LAST_PUBLISHED = dt.date(2026, 10, 31)
LAST_INTAKE = dt.date(2026, 11, 15)

LANGUAGES = vocabulary.LANGUAGES
LANGUAGE_WEIGHTS = (35, 35, 30)
OTHER_LANGUAGE_SHARE = 0.03  # English paragraphs quoted in Danish/Norwegian bilag
WITHDRAWN_SHARE = 0.02
NO_PUBLISHER_SHARE = 0.03
PASSAGES_PER_BILAG = 27
BILAG_PER_CHUNK = 2_000
STOPWORD_SHARE = 0.45  # of the words in a generated word run
COUNTRIES = vocabulary.COUNTRIES
PUBLISHERS = vocabulary.PUBLISHERS
CAMPS, FIRST_NAMES, LAST_NAMES = vocabulary.CAMPS, vocabulary.FIRST_NAMES, vocabulary.LAST_NAMES


def accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


class Generator:
    """One seeded random stream and everything drawn from it, bilag after bilag."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        rng = self.rng
        seeds = seed_sentences()
        syllables = vocabulary.SYLLABLES
        villages = sorted(
            {
                (a + b).capitalize() + ("" if rng.random() < 0.6 else "-" + c)
                for a in syllables
                for b in syllables
                for c in syllables[:3]
            }
        )
        self.languages = {code: Language(code, rng, seeds[code], villages) for code in LANGUAGES}
        self.country_cum = list(accumulate(c.weight for c in COUNTRIES))
        self.publisher_cum = zipf_cumulative(len(PUBLISHERS), 0.9)
        self.language_cum = list(accumulate(LANGUAGE_WEIGHTS))
        self.places = {c.code: c.places for c in COUNTRIES}
        self.all_places = [p for c in COUNTRIES for p in c.places]
        self.sha_salt = f"baggrund-bench-search-{seed}"
        # Published dates lean towards 2015-2021, like the real library.
        years = list(range(FIRST_PUBLISHED.year, LAST_PUBLISHED.year + 1))
        weights = [1 + 3 * (2015 <= y <= 2021) + 1 * (y >= 2022) for y in years]
        self.years = years
        self.year_cum = list(accumulate(weights))

    # -- small picks ------------------------------------------------------------------
    def _weighted(self, cumulative: list[float]) -> int:
        return bisect.bisect(cumulative, self.rng.random() * cumulative[-1])

    def _number(self, lang: Language) -> str:
        r = self.rng.randint
        return f"{r(2, 80)}{lang.thousands}{r(0, 999):03d}"

    def _slots(self, lang: Language, ctx: dict, fields: tuple[str, ...]) -> dict[str, str]:
        """A value for each slot of a template, drawn in the template's order."""
        rng = self.rng
        random_ = rng.random
        values = {}
        for field in fields:
            if field == "n":
                value = self._number(lang)
            elif field == "small":
                value = str(rng.randint(3, 400))
            elif field == "big":
                value = f"{rng.randint(10, 90)}{lang.thousands}000"
            elif field == "money":
                value = str(rng.randint(3, 40) * 100)
            elif field == "people":
                value = lang.people[int(random_() * len(lang.people))]
            elif field == "place":
                places = ctx["places"] if random_() < 0.8 else self.all_places
                value = places[int(random_() * len(places))]
            elif field in ("group", "Group"):
                value = lang.groups[int(random_() * len(lang.groups))]
                if field == "Group":
                    value = value[0].upper() + value[1:]
            elif field == "source":
                value = lang.sources[int(random_() * len(lang.sources))]
            elif field == "month":
                value = lang.months[int(random_() * 12)]
            elif field == "year":
                value = str(ctx["year"] - int(random_() * 3))
            elif field == "year2":
                value = str(ctx["year"])
            elif field == "country":
                value = ctx["country_name"]
            elif field == "camp":
                value = CAMPS[int(random_() * len(CAMPS))]
            elif field == "name":
                value = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            elif field == "publisher":
                value = PUBLISHERS[self._weighted(self.publisher_cum)]
            elif field == "village":
                value = lang.villages[int(random_() * len(lang.villages))]
            elif field == "rare":
                value = self._rare(lang)
            else:  # pragma: no cover - a template typo
                raise KeyError(field)
            values[field] = value
        return values

    def _rare(self, lang: Language) -> str:
        cumulative = lang.cumulative
        low = cumulative[lang.tail_start]
        index = bisect.bisect(cumulative, low + self.rng.random() * (cumulative[-1] - low))
        return lang.vocabulary[min(index, len(lang.vocabulary) - 1)]

    def _word_run(self, lang: Language) -> str:
        """A sentence-like run of Zipf-drawn words: stop words and content words mixed."""
        rng = self.rng
        count = rng.randint(7, 18)
        content = rng.choices(lang.vocabulary, cum_weights=lang.cumulative, k=count)
        stop = rng.choices(lang.stopwords, cum_weights=lang.stop_cum, k=count)
        words = []
        random_ = rng.random
        for word, filler in zip(content, stop, strict=True):
            if random_() < STOPWORD_SHARE:
                words.append(filler)
            words.append(word)
            if random_() < 0.04:
                words.append(str(rng.randint(2, 2030)))
        words[0] = words[0][0].upper() + words[0][1:]
        return " ".join(words) + "."

    def _seed_sentence(self, lang: Language) -> str:
        sentence = lang.seeds[int(self.rng.random() * len(lang.seeds))]
        randint = self.rng.randint
        return re.sub(
            r"\d+",
            lambda m: str(randint(10 ** (len(m.group()) - 1), 10 ** len(m.group()) - 1)),
            sentence,
        )

    def sentence(self, lang: Language, ctx: dict) -> str:
        roll = self.rng.random()
        if roll < 0.50:
            template, fields = lang.templates[int(self.rng.random() * len(lang.templates))]
            return template.format(**self._slots(lang, ctx, fields))
        if roll < 0.62:
            return self._seed_sentence(lang)
        return self._word_run(lang)

    def paragraph(self, lang: Language, ctx: dict) -> str:
        count = (1, 2, 2, 3, 3, 3, 4, 4, 5)[int(self.rng.random() * 9)]
        return " ".join(self.sentence(lang, ctx) for _ in range(count))

    def published(self) -> tuple[dt.date, str]:
        rng = self.rng
        year = self.years[self._weighted(self.year_cum)]
        start = dt.date(year, 1, 1)
        end = min(dt.date(year, 12, 31), LAST_PUBLISHED)
        day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
        roll = rng.random()
        if roll < 0.82:
            return day, "day"
        if roll < 0.95:
            return day.replace(day=1), "month"
        return dt.date(year, 1, 1), "year"

    # -- one bilag ------------------------------------------------------------------------
    def bilag(self, number: int, passages: int) -> dict:
        """One bilag as a dict of its column values, its full text and its passage rows
        (ordinal, text, start, end, page, language, boilerplate kind)."""
        rng = self.rng
        language = LANGUAGES[self._weighted(self.language_cum)]
        lang = self.languages[language]
        country = COUNTRIES[self._weighted(self.country_cum)]
        published, precision = self.published()
        intake = min(published + dt.timedelta(days=rng.randint(3, 500)), LAST_INTAKE)
        ctx = {
            "places": self.places[country.code],
            "country_name": country.name(language),
            "year": published.year,
        }
        template, fields = lang.headlines[int(rng.random() * len(lang.headlines))]
        title = template.format(**self._slots(lang, ctx, fields))
        texts = self._texts(lang, ctx, title, passages, country)
        self._place_boilerplate(texts, lang)

        roll = rng.random()
        kind = "txt" if roll < 0.45 else ("html" if roll < 0.8 else "pdf")
        header, shape = "", ("news" if kind != "pdf" else "plain")
        if kind == "txt" and rng.random() < 0.5:
            shape = "board-header"
            header = (
                "Flygtningenævnets baggrundsmateriale\n\n"
                f"Bilagsnr.: {number}\nLand: {country.da}\nTitel: {title}\n"
                f"Udgivet: {published.isoformat()}\n"
                f"Optaget på baggrundsmaterialet: {intake.isoformat()}\n\n"
            )
        full_text, rows = _layout(header, texts, paged=kind == "pdf")
        sha = hashlib.sha256(f"{self.sha_salt}:{number}:".encode() + full_text.encode()).hexdigest()
        withdrawn = rng.random() < WITHDRAWN_SHARE
        withdrawn_on = None
        if withdrawn:
            withdrawn_on = min(intake + dt.timedelta(days=rng.randint(30, 900)), LAST_INTAKE)
        publisher = (
            None if rng.random() < NO_PUBLISHER_SHARE else self._weighted(self.publisher_cum)
        )
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower())[:40].strip("-")
        return {
            "number": number,
            "country": country.code,
            "publisher": publisher,  # index into PUBLISHERS
            "title": title,
            "published": published,
            "precision": precision,
            "intake": intake,
            "language": language,
            "status": "withdrawn" if withdrawn else "current",
            "withdrawn_on": withdrawn_on,
            "withdrawn_reason": "Erstattet af nyere baggrundsmateriale." if withdrawn else "",
            "original": f"originals/{sha[:2]}/{sha}.{kind}",
            "original_name": f"bench/{published.year}/{number}_{slug}.{kind}",
            "kind": kind,
            "sha256": sha,
            "full_text": full_text,
            "shape": shape,
            "passages": rows,
        }

    def _texts(self, lang: Language, ctx: dict, title: str, passages: int, country) -> list:
        """(text, language, boilerplate kind) of each passage: the title, then paragraphs,
        a few of them quoted in English."""
        language = lang.code
        english = self.languages["en"]
        en_ctx = dict(ctx, country_name=country.en)
        texts: list[tuple[str, str, str]] = [(title, language, "")]
        for _ in range(passages - 1):
            if language != "en" and self.rng.random() < OTHER_LANGUAGE_SHARE:
                texts.append((self.paragraph(english, en_ctx), "en", ""))
            else:
                texts.append((self.paragraph(lang, ctx), language, ""))
        return texts

    def _place_boilerplate(self, texts: list, lang: Language) -> None:
        """About one passage in 27 becomes boilerplate, where a web page puts it: a cookie
        notice second, captions and credits inside, a share button or footer last."""
        rng, plates, language = self.rng, lang.boilerplate, lang.code
        if len(texts) <= 3:
            return
        roll = rng.random()
        if roll < 0.30:
            kind, text = plates[0]
            texts[1] = (text, language, kind)
        elif roll < 0.55:
            kind, text = plates[2 + (roll < 0.45)]
            texts[rng.randint(2, len(texts) - 1)] = (text, language, kind)
        elif roll < 0.75:
            kind, text = plates[1]
            texts[-1] = (text, language, kind)
        elif roll < 0.85:
            kind, text = plates[4]
            texts[-1] = (text, language, kind)
        if rng.random() < 0.25:
            kind, text = plates[rng.choice((2, 3))]
            texts[rng.randint(2, len(texts) - 1)] = (text, language, kind)

    def passage_count(self) -> int:
        """About 27 passages a bilag: short notes to long reports."""
        return max(3, min(90, int(self.rng.gammavariate(4.0, PASSAGES_PER_BILAG / 4.0))))


def _layout(header: str, texts: list, *, paged: bool) -> tuple[str, list[tuple]]:
    """The full text (header, then the passages a blank line apart) and the passage rows
    whose text is full_text[start:end]; a PDF's passages sit six to a page."""
    rows = []
    position = len(header)
    parts = [header]
    for ordinal, (text, passage_language, plate) in enumerate(texts, start=1):
        end = position + len(text)
        page = 1 + (ordinal - 1) // 6 if paged else None
        rows.append((ordinal, text, position, end, page, passage_language, plate))
        parts.append(text)
        parts.append("\n\n")
        position = end + 2
    return "".join(parts), rows


def generate(total_passages: int, seed: int, first_number: int):
    """Yield chunks (lists of bilag dicts) until exactly `total_passages` passages."""
    generator = Generator(seed)
    made = 0
    number = first_number
    chunk = []
    while made < total_passages:
        count = min(generator.passage_count(), total_passages - made)
        if total_passages - made - count in (1, 2):
            count = total_passages - made  # no 1- or 2-passage leftovers
        chunk.append(generator.bilag(number, count))
        number += 1
        made += count
        if len(chunk) >= BILAG_PER_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
