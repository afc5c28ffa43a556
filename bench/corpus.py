"""Realistic generated bilag files for the ingest benchmarks: Danish, Norwegian, English.

Sentences are built from the seeds' vocabulary (camps, SDF, IS, civilians fleeing,
landmines, air strikes…; bench/vocabulary, shared with the search corpus) with varied
numbers, places, months and sources, so that language detection, boilerplate flagging
and paragraph splitting do the same work they do on real intake. Everything is seeded:
the same arguments give the same files.
"""

import datetime as dt
import random
from dataclasses import dataclass

from bench import vocabulary

LANGUAGES = vocabulary.LANGUAGES
# The parts of the shared vocabulary these files have always drawn from (a seed picks by
# position, so these slices keep the files of a seed as they were).
COUNTRIES = vocabulary.COUNTRIES[:10]
PUBLISHERS = vocabulary.INGEST_PUBLISHERS
PLACES = vocabulary.INGEST_PLACES
GROUPS = {language: groups[:6] for language, groups in vocabulary.GROUPS.items()}
PEOPLE = {
    language: people[: 5 if language == "en" else 6]
    for language, people in vocabulary.PEOPLE.items()
}
SOURCES = {language: sources[:6] for language, sources in vocabulary.SOURCES.items()}
TEMPLATES = vocabulary.INGEST_TEMPLATES
MONTHS = vocabulary.MONTHS
BOILERPLATE = {
    language: [text for _kind, text in plates[:3]]  # cookie notice, share button, caption
    for language, plates in vocabulary.BOILERPLATE.items()
}
HEADLINES = {language: headlines[0] for language, headlines in vocabulary.HEADLINES.items()}


def paragraph(rng: random.Random, language: str, sentences: int | None = None) -> str:
    months = MONTHS[language].split()
    parts = []
    for _ in range(sentences or rng.randint(2, 4)):
        group = rng.choice(GROUPS[language])
        text = rng.choice(TEMPLATES[language]).format(
            n=f"{rng.randint(2, 80)}.{rng.randint(0, 999):03d}"
            if language != "en"
            else f"{rng.randint(2, 80)},{rng.randint(0, 999):03d}",
            small=rng.randint(3, 400),
            big=rng.randint(10, 90) * 1000,
            money=rng.randint(3, 40) * 100,
            people=rng.choice(PEOPLE[language]),
            place=rng.choice(PLACES),
            month=rng.choice(months),
            source=rng.choice(SOURCES[language]),
            group=group,
            Group=group[0].upper() + group[1:],
        )
        parts.append(text)
    return " ".join(parts)


def headline(rng: random.Random, language: str) -> str:
    return HEADLINES[language].format(
        n=rng.randint(100, 9000),
        people=rng.choice(PEOPLE[language]),
        place=rng.choice(PLACES),
    )


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def danish_date(day: dt.date) -> str:
    return f"{day.day}. {MONTHS['da'].split()[day.month - 1]} {day.year}"


@dataclass
class GeneratedFile:
    name: str
    data: bytes
    language: str
    # What an admin would put in the manifest for it (empty when the file says it all).
    manifest: dict[str, str]
    content_paragraphs: int


def _body(rng: random.Random, language: str, count: int) -> tuple[list[str], int]:
    """`count` paragraphs, a few of them boilerplate; returns them and the content count."""
    paragraphs = [paragraph(rng, language) for _ in range(count)]
    content = count
    if rng.random() < 0.5:
        paragraphs.insert(0, BOILERPLATE[language][0])
    if rng.random() < 0.5:
        paragraphs.insert(rng.randint(1, len(paragraphs)), BOILERPLATE[language][2])
    if rng.random() < 0.3:
        paragraphs.append(BOILERPLATE[language][1])
    return paragraphs, content


def board_header_txt(rng: random.Random, index: int, number: int) -> GeneratedFile:
    """The board's own header (tab-separated fields, Danish dates), then the source."""
    language = rng.choice(LANGUAGES)
    country = rng.choice(COUNTRIES)
    published = random_date(rng, dt.date(2012, 1, 1), dt.date(2024, 6, 30))
    intake = published + dt.timedelta(days=rng.randint(5, 400))
    intake = min(intake, dt.date(2025, 1, 31))
    title = headline(rng, language)
    paragraphs, content = _body(rng, language, rng.randint(10, 38))
    header = "\n".join(
        [
            "Flygtningenævnets baggrundsmateriale",
            "",
            f"Bilagsnr.:\t{number}",
            f"Land:\t{country.da}",
            f"Kilde:\t{rng.choice(PUBLISHERS)}",
            f"Titel:\t{title}",
            f"Udgivet:\t{danish_date(published)}",
            f"Optaget på baggrundsmaterialet:\t{danish_date(intake)}",
            "",
        ]
    )
    text = header + "\n" + title + "\n\n" + "\n\n".join(paragraphs) + "\n"
    return GeneratedFile(
        name=f"{index:05d}_board.txt",
        data=text.encode("utf-8"),
        language=language,
        manifest={},
        content_paragraphs=content + 1,
    )


def news_txt(rng: random.Random, index: int) -> GeneratedFile:
    """' date YYYY-MM' then the headline on the same line; country etc. in the manifest."""
    language = rng.choice(LANGUAGES)
    country = rng.choice(COUNTRIES)
    published = random_date(rng, dt.date(2012, 1, 1), dt.date(2024, 6, 30))
    paragraphs, content = _body(rng, language, rng.randint(9, 38))
    lead = paragraph(rng, language, sentences=1)
    lines = [f" date {published:%Y-%m} {lead}", ""]
    if language == "nb" and rng.random() < 0.5:
        lines += [
            f"Publisert: {published:%d.%m.%y} {rng.randint(6, 23):02d}:{rng.randint(0, 59):02d}",
            "",
        ]
    text = "\n".join(lines) + "\n" + "\n\n".join(paragraphs) + "\n"
    return GeneratedFile(
        name=f"{index:05d}_news.txt",
        data=text.encode("utf-8"),
        language=language,
        manifest={
            "country": country.name(language),
            "publisher": rng.choice(PUBLISHERS),
        },
        content_paragraphs=content + 1,
    )


def html_page(rng: random.Random, index: int) -> GeneratedFile:
    """A saved web page: menus, cookie banner, script, article paragraphs, footer."""
    language = rng.choice(LANGUAGES)
    country = rng.choice(COUNTRIES)
    published = random_date(rng, dt.date(2012, 1, 1), dt.date(2024, 6, 30))
    title = headline(rng, language)
    count = rng.randint(9, 38)
    body = "\n".join(f"<p>{paragraph(rng, language)}</p>" for _ in range(count))
    html = f"""<!DOCTYPE html>
<html lang="{language}"><head><meta charset="utf-8"><title>{title} - News</title>
<meta property="article:published_time" content="{published:%Y-%m-%d}T08:15:00Z">
<script>window.dataLayer = [{{"page": "article"}}];</script>
<style>body {{ font-family: sans-serif; }}</style></head>
<body><nav class="menu"><a href="/">Home</a> <a href="/news">News</a>
<a href="/world">World</a></nav>
<div class="cookie-banner"><p>{BOILERPLATE[language][0]}</p></div>
<article><h1>{title}</h1>
{body}
<div class="share"><button>{BOILERPLATE[language][1]}</button></div>
</article>
<footer><p>© News {published.year}. All rights reserved.</p></footer>
</body></html>
"""
    return GeneratedFile(
        name=f"{index:05d}_page.html",
        data=html.encode("utf-8"),
        language=language,
        manifest={"country": country.en, "publisher": rng.choice(PUBLISHERS)},
        content_paragraphs=count + 1,
    )


def generate(count: int, seed: int = 1) -> list[GeneratedFile]:
    """`count` files: about 40 % board header, 40 % news text, 20 % HTML.

    Board-header numbers count down from 10 * count so that numbers the library assigns
    to the other files (the highest so far + 1) never meet one a later header claims.
    """
    rng = random.Random(seed)
    files = []
    for index in range(count):
        roll = rng.random()
        if roll < 0.4:
            files.append(board_header_txt(rng, index, number=10 * count - index))
        elif roll < 0.8:
            files.append(news_txt(rng, index))
        else:
            files.append(html_page(rng, index))
    return files


def report_pages(pages: int, seed: int = 2) -> list[list[str]]:
    """Pages of a multilingual report: 5-7 paragraphs a page, Danish, Norwegian, English."""
    rng = random.Random(seed)
    return [
        [paragraph(rng, LANGUAGES[(page + k) % 3]) for k in range(rng.randint(5, 7))]
        for page in range(pages)
    ]


def text_pdf(pages: list[list[str]], title: str = "Situationen i lejrene") -> bytes:
    """A PDF with real text: each paragraph wrapped into lines, a gap between paragraphs."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_font("Helvetica", size=10)
    for paragraphs in pages:
        pdf.add_page()
        for text in paragraphs:
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    return bytes(pdf.output())
