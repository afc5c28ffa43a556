"""A large, realistic search corpus, generated and loaded in bulk.

    .venv/bin/python bench/search_corpus.py --passages 1000000 --database postgres --fresh
    .venv/bin/python bench/search_corpus.py --passages 20000 --database sqlite --fresh
    .venv/bin/python bench/search_corpus.py --passages 200000 --generate-only   # no database

Danish, Norwegian (Bokmål) and English bilag (35/35/30 %), about 27 passages each, built
from the seeds' vocabulary: sentence templates about Syria, camps, foreign fighters,
civilian casualties, air strikes, detention, women and children; sentences of the seed
texts with their numbers varied; and word runs drawn Zipf-like from a ranked vocabulary
(stop words, common words, topic words, the seeds' words, then a long tail of compounds,
names and place names), so that a few words occur in 15-20 % of the passages and most
in a handful. A few % of passages are boilerplate (cookie notices, captions, share
buttons, credits, footers). 15 countries, Syria most; 60 publishers, a few big ones;
published 2010-2026 with day, month or year precision; intake after it; about 2 %
withdrawn. Everything comes from --seed: the same arguments give the same corpus.

PostgreSQL: publishers and bilag are COPYed (psycopg 3 `cursor.copy`) straight into
their tables; passages are COPYed, a chunk at a time, into an UNLOGGED staging table and
moved into library_passage by `INSERT … SELECT … to_tsvector(<config>, text)` on a second
connection while the next chunk is generated, so Python and the database work at the
same time. The search index is dropped first and built once at the end
(`library.search.index.create_index()`, RUM where installed); then VACUUM ANALYZE.
--keep-index loads into the indexed table instead (slower: see bench/README.md).

The database is `baggrund_bench_search` on BENCH_PG_URL (default
postgres://postgres@127.0.0.1:5432), or a SQLite file in the temp folder. It is kept
for bench/search_bench.py; --fresh drops and recreates it. Loading into an existing one
adds to it: ids and bilag numbers continue after the highest.
"""

import argparse
import bisect
import datetime as dt
import hashlib
import os
import queue
import random
import re
import string
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import dbsetup  # noqa: E402

PG_NAME = "baggrund_bench_search"
SQLITE_PATH = Path(tempfile.gettempdir()) / "baggrund_bench_search.sqlite3"
MEDIA_ROOT = Path(tempfile.gettempdir()) / "baggrund-bench-search-media"

# Fixed rather than today, so that a seed always gives the same corpus.
FIRST_PUBLISHED = dt.date(2010, 1, 1)
LAST_PUBLISHED = dt.date(2026, 10, 31)
LAST_INTAKE = dt.date(2026, 11, 15)

LANGUAGES = ("da", "nb", "en")
LANGUAGE_WEIGHTS = (35, 35, 30)
OTHER_LANGUAGE_SHARE = 0.03  # English paragraphs quoted in Danish/Norwegian bilag
WITHDRAWN_SHARE = 0.02
PASSAGES_PER_BILAG = 27
BILAG_PER_CHUNK = 2_000

# ---------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


# code, weight, name in Danish, Norwegian, English, places
COUNTRIES = [
    (
        "SY",
        36,
        "Syrien",
        "Syria",
        "Syria",
        "Deir ez-Zor Baghouz Hajin al-Hol Raqqa Idlib Aleppo Homs Kobani Qamishli Afrin "
        "Manbij Tabqa Hasakah Daraa Sweida Palmyra Damaskus Latakia Hama",
    ),
    (
        "IQ",
        14,
        "Irak",
        "Irak",
        "Iraq",
        "Mosul Kirkuk Erbil Bagdad Fallujah Ramadi Tikrit Sinjar Basra Dohuk Sulaymaniyah",
    ),
    (
        "AF",
        11,
        "Afghanistan",
        "Afghanistan",
        "Afghanistan",
        "Kabul Herat Kandahar Mazar-i-Sharif Jalalabad Kunduz Helmand Ghazni Bamiyan",
    ),
    (
        "SO",
        8,
        "Somalia",
        "Somalia",
        "Somalia",
        "Mogadishu Kismayo Baidoa Beledweyne Garowe Hargeisa Bosaso Galkayo",
    ),
    ("ER", 6, "Eritrea", "Eritrea", "Eritrea", "Asmara Massawa Keren Assab Sawa Barentu"),
    ("IR", 5, "Iran", "Iran", "Iran", "Teheran Isfahan Shiraz Mashhad Tabriz Zahedan Ahvaz"),
    ("SD", 4, "Sudan", "Sudan", "Sudan", "Khartoum Darfur El-Fasher Nyala Omdurman Kassala"),
    ("ET", 3.5, "Etiopien", "Etiopia", "Ethiopia", "Addis-Abeba Tigray Mekelle Gondar Amhara"),
    ("LY", 3, "Libyen", "Libya", "Libya", "Tripoli Benghazi Misrata Sirte Sabha"),
    ("YE", 2.5, "Jemen", "Jemen", "Yemen", "Aden Sanaa Hodeidah Marib Taiz"),
    ("LB", 2, "Libanon", "Libanon", "Lebanon", "Beirut Baalbek Arsal Sidon"),
    ("TR", 2, "Tyrkiet", "Tyrkia", "Turkey", "Ankara Istanbul Gaziantep Sanliurfa Hatay"),
    ("PK", 1.5, "Pakistan", "Pakistan", "Pakistan", "Peshawar Quetta Karachi Lahore"),
    ("RU", 1, "Rusland", "Russland", "Russia", "Grozny Moskva Makhachkala"),
    ("MM", 0.5, "Myanmar", "Myanmar", "Myanmar", "Rakhine Sittwe Yangon"),
]

PUBLISHERS = [
    "Landinfo",
    "Udlændingestyrelsen",
    "BBC News",
    "Reuters",
    "SOHR",
    "UNHCR",
    "Human Rights Watch",
    "Amnesty International",
    "NRK",
    "DR",
    "VG",
    "Ritzau",
    "NTB",
    "AFP",
    "Associated Press",
    "The Guardian",
    "Al Jazeera",
    "Politiken",
    "Aftenposten",
    "Berlingske",
    "Jyllands-Posten",
    "Information",
    "Kristeligt Dagblad",
    "TV 2",
    "Dagbladet",
    "Bergens Tidende",
    "Klassekampen",
    "Utlendingsdirektoratet",
    "EUAA",
    "UN OCHA",
    "UNICEF",
    "World Food Programme",
    "ICRC",
    "Médecins Sans Frontières",
    "Norwegian Refugee Council",
    "Danish Refugee Council",
    "International Crisis Group",
    "ACLED",
    "Airwars",
    "Syrians for Truth and Justice",
    "Syrian Network for Human Rights",
    "Enab Baladi",
    "Rudaw",
    "Kurdistan24",
    "The New York Times",
    "The Washington Post",
    "Financial Times",
    "The Economist",
    "Foreign Policy",
    "Middle East Eye",
    "The National",
    "Deutsche Welle",
    "France 24",
    "Le Monde",
    "US State Department",
    "UK Home Office",
    "ACCORD",
    "Freedom House",
    "Institute for the Study of War",
    "Weekendavisen",
]
NO_PUBLISHER_SHARE = 0.03

CAMPS = _words(
    "al-Hol Roj Ain-Issa Mabrouka Areesha Rukban Zaatari Azraq Dadaab Kakuma Debaga "
    "Hammam-al-Alil Jamaa Shimelba Hitsats Mai-Aini Moria Shatila Bab-al-Salam Atmeh"
)
FIRST_NAMES = _words(
    "Mustafa Rami Adnan Redur Ahmed Mohammed Fatima Aisha Hassan Hussein Omar Ali Khalid "
    "Layla Zainab Abdullah Ibrahim Yusuf Nour Amina Samir Karim Walid Jamal Bashir Hamid "
    "Salma Rania Faisal Tariq Mariam Hawa Abdi Yonas Senait Dawit Farid Nasrin Reza Soraya"
)
LAST_NAMES = _words(
    "Bali Abdelrahman Afrin Khalil al-Hassan Mahmoud Haddad Nasser Saleh Yousef al-Ahmad "
    "Darwish Hamdan Kurdi Osman Farah Warsame Tesfay Haile Ahmadi Rahimi Karimi Hosseini "
    "Jaber Suleiman Mansour Aziz Qadir Barzani Hamad Said Jama Gebre Tekle Noori Sadiqi"
)
SYLLABLES = _words(
    "ab al am an ar as bad bar bash dar deir dib el far gar ghar had ham har jab jar kaf "
    "kar khal lat mah mar mir nab nas qa qas rah ram sal sar sha tab tal tell um war ya "
    "zar zor"
)

PEOPLE = {
    "da": [
        "civile",
        "kvinder og børn",
        "familier",
        "flygtninge",
        "fremmedkrigere",
        "fanger",
        "internt fordrevne",
        "asylansøgere",
    ],
    "nb": [
        "sivile",
        "kvinner og barn",
        "familier",
        "flyktninger",
        "fremmedkrigere",
        "fanger",
        "internt fordrevne",
        "asylsøkere",
    ],
    "en": [
        "civilians",
        "women and children",
        "families",
        "refugees",
        "foreign fighters",
        "detainees",
        "internally displaced people",
        "asylum seekers",
    ],
}
GROUPS = {
    "da": [
        "SDF",
        "IS",
        "regeringsstyrkerne",
        "militsen",
        "oprørsgrupperne",
        "al-Shabaab",
        "Taliban",
        "koalitionen",
    ],
    "nb": [
        "SDF",
        "IS",
        "regjeringsstyrkene",
        "militsen",
        "opprørsgruppene",
        "al-Shabaab",
        "Taliban",
        "koalisjonen",
    ],
    "en": [
        "the SDF",
        "IS",
        "government forces",
        "the militia",
        "rebel groups",
        "al-Shabaab",
        "the Taliban",
        "the coalition",
    ],
}
SOURCES = {
    "da": [
        "en talsmand for SDF",
        "FN",
        "Sohr",
        "en lokal læge",
        "Røde Kors",
        "nyhedsbureauet AFP",
        "Human Rights Watch",
        "Amnesty International",
        "UNHCR",
        "lokale kilder",
    ],
    "nb": [
        "en talsmann for SDF",
        "FN",
        "SOHR",
        "en lokal lege",
        "Røde Kors",
        "nyhetsbyrået NTB",
        "Human Rights Watch",
        "Amnesty International",
        "UNHCR",
        "lokale kilder",
    ],
    "en": [
        "an SDF spokesman",
        "the UN",
        "SOHR",
        "a local doctor",
        "the Red Cross",
        "AFP",
        "Human Rights Watch",
        "Amnesty International",
        "UNHCR",
        "local sources",
    ],
}
MONTHS = {
    "da": "januar februar marts april maj juni juli august september oktober november december",
    "nb": "januar februar mars april mai juni juli august september oktober november desember",
    "en": "January February March April May June July August September October November December",
}

TEMPLATES = {
    "da": [
        "Over {n} {people} er flygtet fra området omkring {place} siden {month}, siger {source}.",
        "Ifølge {source} blev mindst {small} civile dræbt, da {group} angreb {place} i nat.",
        "Flygtningelejren ved {place} var bygget til {n} mennesker, men huser nu mere end {big}.",
        "I lejren {camp} bor over {big} kvinder og børn, de fleste af dem familier til "
        "fremmedkrigere.",
        "Luftangrebene mod {place} har ifølge {source} kostet mindst {small} civile livet.",
        "{Group} har ifølge {source} lagt landminer langs vejene ud af {place}.",
        "Mindst {small} fremmedkrigere med statsborgerskab i europæiske lande sidder "
        "tilbageholdt i fængsler i det nordøstlige {country}.",
        "Det er endnu uklart, hvad der skal ske med de {small} {people}, som blev taget til "
        "fange efter kampene i {month} {year}.",
        "Efter en pause i kampene har {group} genoptaget offensiven mod {place}, og der blev "
        "udkæmpet hårde kampe søndag.",
        "Nogle af de {people} siger, at de har betalt smuglere op mod {money} dollar for at "
        "komme ud af {place}.",
        "Der mangler fortsat vand, telte og lægehjælp i lejren, og mange børn er syge efter "
        "flere uger på flugt.",
        "{name}, der er talsmand for {group}, siger til {publisher}, at situationen i {place} "
        "er meget alvorlig.",
        "Personer, der vender tilbage til {country}, risikerer ifølge {source} at blive "
        "anholdt og tilbageholdt uden rettergang.",
        "Myndighederne i {country} tilbageholder ifølge {source} fortsat {small} personer, "
        "som mistænkes for forbindelser til {group}.",
        "Kvinder og børn udgør ifølge {source} mere end halvdelen af de {n} mennesker i "
        "lejren {camp}.",
        "Rapporten beskriver tortur, forsvindinger og vilkårlige anholdelser i {place} i "
        "perioden fra {year} til {year2}.",
        "Ifølge {source} er militærtjenesten i {country} ubegrænset, og desertører straffes hårdt.",
        "Den humanitære situation i {place} er forværret, og FN anslår, at {n} mennesker har "
        "brug for nødhjælp.",
        "Koalitionen har gennemført {small} luftangreb mod {group} i provinsen {place} den "
        "seneste måned.",
        "Børn i lejren {camp} har ifølge {source} ikke adgang til skole, og mange lider af {rare}.",
        "I landsbyen {village} nær {place} blev {small} mennesker ifølge {source} dræbt under "
        "et {rare} i {month}.",
        "Situationen i {country} beskrives som {rare}, og {people} flygter fortsat mod grænsen.",
    ],
    "nb": [
        "Over {n} {people} har flyktet fra området rundt {place} siden {month}, sier {source}.",
        "Ifølge {source} ble minst {small} sivile drept da {group} angrep {place} i natt.",
        "Flyktningleiren ved {place} var bygget for {n} mennesker, men huser nå mer enn {big}.",
        "I leiren {camp} bor over {big} kvinner og barn, de fleste av dem familier til "
        "fremmedkrigere.",
        "Luftangrepene mot {place} har ifølge {source} kostet minst {small} sivile livet.",
        "{Group} har ifølge {source} lagt ut landminer langs veiene ut av {place}.",
        "Minst {small} fremmedkrigere med statsborgerskap i europeiske land sitter i varetekt "
        "i fengsler nordøst i {country}.",
        "Det er ennå uklart hva som skal skje med de {small} {people} som ble tatt til fange "
        "etter kampene i {month} {year}.",
        "Etter en pause i kampene har {group} gjenopptatt offensiven mot {place}, og det ble "
        "utkjempet harde kamper søndag.",
        "Noen av de {people} sier at de har betalt smuglere opptil {money} dollar for å komme "
        "seg ut av {place}.",
        "Det mangler fortsatt vann, telt og legehjelp i leiren, og mange barn er syke etter "
        "flere uker på flukt.",
        "{name}, som er talsmann for {group}, sier til {publisher} at situasjonen i {place} "
        "er svært alvorlig.",
        "Personer som vender tilbake til {country}, risikerer ifølge {source} å bli arrestert "
        "og holdt fanget uten rettssak.",
        "Myndighetene i {country} holder ifølge {source} fortsatt {small} personer i "
        "varetekt, mistenkt for forbindelser til {group}.",
        "Kvinner og barn utgjør ifølge {source} mer enn halvparten av de {n} menneskene i "
        "leiren {camp}.",
        "Rapporten beskriver tortur, forsvinninger og vilkårlige arrestasjoner i {place} i "
        "perioden fra {year} til {year2}.",
        "Ifølge {source} er militærtjenesten i {country} ubegrenset, og desertører straffes hardt.",
        "Den humanitære situasjonen i {place} er forverret, og FN anslår at {n} mennesker "
        "trenger nødhjelp.",
        "Koalisjonen har gjennomført {small} luftangrep mot {group} i provinsen {place} den "
        "siste måneden.",
        "Barn i leiren {camp} har ifølge {source} ikke tilgang til skole, og mange lider av "
        "{rare}.",
        "I landsbyen {village} nær {place} ble {small} mennesker ifølge {source} drept under "
        "et {rare} i {month}.",
        "Situasjonen i {country} beskrives som {rare}, og {people} flykter fortsatt mot grensen.",
    ],
    "en": [
        "More than {n} {people} have fled the area around {place} since {month}, {source} said.",
        "According to {source}, at least {small} civilians were killed when {group} attacked "
        "{place} overnight.",
        "The refugee camp at {place} was built for {n} people but now holds more than {big}.",
        "More than {big} women and children live in the {camp} camp, most of them relatives "
        "of foreign fighters.",
        "The airstrikes on {place} have killed at least {small} civilians, according to {source}.",
        "{Group} have laid landmines along the roads out of {place}, according to {source}.",
        "At least {small} foreign fighters with European citizenship are held in detention "
        "in prisons in north-eastern {country}.",
        "It is still unclear what will happen to the {small} {people} who were detained after "
        "the fighting in {month} {year}.",
        "After a pause in the fighting, {group} resumed the offensive on {place}, and there "
        "was heavy fighting on Sunday.",
        "Some of the {people} say they paid smugglers up to {money} dollars to get out of {place}.",
        "Water, tents and medical care are still in short supply in the camp, and many "
        "children are ill after weeks on the move.",
        "{name}, a spokesman for {group}, told {publisher} that the situation in {place} was "
        "very serious.",
        "People returning to {country} risk arrest and detention without trial, according "
        "to {source}.",
        "The authorities in {country} continue to hold {small} people in detention on "
        "suspicion of links to {group}, {source} said.",
        "Women and children make up more than half of the {n} people in the {camp} camp, "
        "according to {source}.",
        "The report describes torture, disappearances and arbitrary arrests in {place} "
        "between {year} and {year2}.",
        "According to {source}, military service in {country} is indefinite, and deserters "
        "are severely punished.",
        "The humanitarian situation in {place} has worsened, and the UN estimates that {n} "
        "people need emergency aid.",
        "The coalition has carried out {small} airstrikes against {group} in {place} "
        "province over the past month.",
        "Children in the {camp} camp have no access to school, according to {source}, and "
        "many suffer from {rare}.",
        "In the village of {village} near {place}, {small} people were killed during a "
        "{rare} in {month}, according to {source}.",
        "The situation in {country} is described as {rare}, and {people} are still fleeing "
        "towards the border.",
    ],
}
HEADLINES = {
    "da": [
        "{n} {people} er flygtet fra {place}",
        "Luftangreb mod {place}: mindst {small} dræbt",
        "Situationen i lejren {camp}",
        "{country}: {people} i {place}",
        "Nye kampe ved {place}",
    ],
    "nb": [
        "{n} {people} har flyktet fra {place}",
        "Luftangrep mot {place}: minst {small} drept",
        "Situasjonen i leiren {camp}",
        "{country}: {people} i {place}",
        "Nye kamper ved {place}",
    ],
    "en": [
        "{n} {people} flee fighting in {place}",
        "Airstrikes on {place}: at least {small} killed",
        "The situation in the {camp} camp",
        "{country}: {people} in {place}",
        "New fighting near {place}",
    ],
}
# Kind, text: cookie notices, share buttons, photo captions and credits, footers.
BOILERPLATE = {
    "da": [
        (
            "cookie",
            "Vi bruger cookies for at give dig den bedste oplevelse. Accepter alle cookies.",
        ),
        ("share", "Del artikel"),
        ("caption", "Foto: Delil Souleiman / AFP"),
        ("credit", "Foto: Ritzau Scanpix"),
        ("footer", "© Alle rettigheder forbeholdes. Kontakt redaktionen."),
    ],
    "nb": [
        ("cookie", "Vi bruker cookies for å gi deg en bedre opplevelse. Godta alle"),
        ("share", "Del artikkel"),
        ("caption", "KAMPER: Soldater fra SDF i Baghouz. Foto: AP / NTB scanpix"),
        ("credit", "Foto: NTB"),
        ("footer", "Ansvarlig redaktør. Alle rettigheter forbeholdt."),
    ],
    "en": [
        ("cookie", "We use cookies to give you the best online experience. Yes, I agree"),
        ("share", "Share this story"),
        ("caption", "Image copyright Getty Images"),
        ("credit", "Photo: Reuters"),
        ("footer", "© All rights reserved. Terms of use. Privacy policy."),
    ],
}
# Common content words, most frequent first: ranked after the topic words.
COMMON = {
    "da": (
        "mennesker ifølge området landet byen situationen regeringen siger sagde flere mange "
        "store første nye år dag tid del måde grund folk familie børn kvinder mænd hjem "
        "arbejde penge sted vej uge måned myndighederne politiet hæren styrker kampe krig "
        "konflikt fred aftale forhandlinger rapport oplysninger kilder organisation "
        "oppositionen præsident minister valg rettigheder lov domstol sag beslutning problem "
        "spørgsmål mulighed risiko fare sikkerhed kontrol magt angreb våben soldater ofre "
        "døde sårede hospital læger hjælp vand mad telte skole sundhed adgang grænsen nord "
        "syd øst vest provinsen regionen lokale internationale humanitære militære politiske "
        "økonomiske alvorlige svært vigtigt muligt fortsat stadig allerede senere tidligere "
        "hurtigt samtidig derfor desuden blandt omkring mellem"
    ),
    "nb": (
        "mennesker ifølge området landet byen situasjonen regjeringen sier sa flere mange "
        "store første nye år dag tid del måte grunn folk familie barn kvinner menn hjem "
        "arbeid penger sted vei uke måned myndighetene politiet hæren styrker kamper krig "
        "konflikt fred avtale forhandlinger rapport opplysninger kilder organisasjon "
        "opposisjonen president minister valg rettigheter lov domstol sak beslutning problem "
        "spørsmål mulighet risiko fare sikkerhet kontroll makt angrep våpen soldater ofre "
        "døde sårede sykehus leger hjelp vann mat telt skole helse tilgang grensen nord sør "
        "øst vest provinsen regionen lokale internasjonale humanitære militære politiske "
        "økonomiske alvorlige vanskelig viktig mulig fortsatt fremdeles allerede senere "
        "tidligere raskt samtidig derfor dessuten blant rundt mellom"
    ),
    "en": (
        "people according area country city situation government says said several many "
        "large first new year day time part way reason family children women men home work "
        "money place road week month authorities police army forces fighting war conflict "
        "peace agreement negotiations report information sources organisation opposition "
        "president minister election rights law court case decision problem question "
        "opportunity risk danger security control power attack weapons soldiers victims dead "
        "wounded hospital doctors aid water food tents school health access border north "
        "south east west province region local international humanitarian military political "
        "economic serious difficult important possible still already later earlier quickly "
        "meanwhile therefore moreover among around between"
    ),
}
# Real words kept rare: placed far down the ranking (search_bench.py asks for some).
RARE_REAL = {
    "da": _words(
        "kolera fodlænke tvangsrekruttering værnepligt desertør hjemsendelse menneskesmugling "
        "gidseltagning minerydning underernæring vaccination statsløse identitetspapirer "
        "fødselsattester retssager dødsstraf amnesti kontrolposter hævnangreb stammeledere "
        "olierige skyttergrave selvmordsbomber vandrationer sandstorm tyfus meslinger "
        "løsesum kidnapning"
    ),
    "nb": _words(
        "kolera fotlenke tvangsrekruttering verneplikt desertør hjemsendelse menneskesmugling "
        "gisseltaking minerydding underernæring vaksinasjon statsløse identitetspapirer "
        "fødselsattester rettssaker dødsstraff amnesti kontrollposter hevnangrep stammeledere "
        "oljerike skyttergraver selvmordsbomber vannrasjoner sandstorm tyfus meslinger "
        "løsepenger kidnapping"
    ),
    "en": _words(
        "cholera tagging conscription conscript deserter deportation trafficking hostage "
        "demining malnutrition vaccination stateless passports certificates trials "
        "executions amnesty checkpoints reprisals tribal oil-rich trenches bombers rations "
        "sandstorm typhus measles ransom kidnapping abduction"
    ),
}
# Danish and Norwegian compound parts: the long tail of rare words.
COMPOUND_HEADS = {
    "da": _words(
        "flygtninge lejr krigs grænse fange sikkerheds menneske militær regerings oprørs "
        "stats by lands nød hjælpe børne kvinde familie sundheds vand fødevare politi rets "
        "asyl opholds udlændinge valg olie fængsels kontrol våben mine luft artilleri "
        "bombe evakuerings forsynings transport landsby provins ørken flod bjerg "
        "kyst havne skole hospitals læge medicin"
    ),
    "nb": _words(
        "flyktning leir krigs grense fange sikkerhets menneske militær regjerings opprørs "
        "stats by lands nød hjelpe barne kvinne familie helse vann matvare politi retts "
        "asyl oppholds utlendings valg olje fengsels kontroll våpen mine luft artilleri "
        "bombe evakuerings forsynings transport landsby provins ørken elve fjell "
        "kyst havne skole sykehus lege medisin"
    ),
}
COMPOUND_TAILS = {
    "da": _words(
        "område styrke leder organisation situation politik system rapport myndighed "
        "forhold problem indsats konflikt gruppe zone vagt arbejde ret post kommando "
        "enhed rute lager kort plan tal liste sag beslutning krise"
    ),
    "nb": _words(
        "område styrke leder organisasjon situasjon politikk system rapport myndighet "
        "forhold problem innsats konflikt gruppe sone vakt arbeid rett post kommando "
        "enhet rute lager kart plan tall liste sak beslutning krise"
    ),
}
ZIPF_EXPONENT = 1.05
ZIPF_OFFSET = 8  # flattens the head: the commonest content word is in about half the passages
STOPWORD_SHARE = 0.45  # of the words in a generated word run


# ---------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------


def _seed_sentences() -> dict[str, list[str]]:
    """Sentences of the seed texts, by language (000 Danish, 001-003 Norwegian, 004 English)."""
    by_file = {"000": "da", "001": "nb", "002": "nb", "003": "nb", "004": "en"}
    found: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        language = by_file.get(path.name[:3])
        if not language:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            line = " ".join(line.replace("\t", " ").split())
            if line.startswith("date "):
                line = line[len("date 2019-02 ") :]
            if len(line) < 60 or ":" in line[:25]:  # menus, headers, captions, datelines
                continue
            for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ–\-\"«])", line):
                if len(sentence) >= 40 and "\\" not in sentence:
                    found[language].append(sentence)
    return found


def _stopwords(language: str) -> list[str]:
    config = {"da": "danish", "nb": "norwegian", "en": "english"}[language]
    path = ROOT / "library" / "search" / "stopwords" / f"{config}.stop"
    return [w.strip() for w in path.read_text(encoding="utf-8").split() if w.strip()]


def _zipf_cumulative(size: int, exponent: float, offset: float = 0.0) -> list[float]:
    """Cumulative Zipf(-Mandelbrot) weights: rank r has weight (r + offset) ** -exponent."""
    total, out = 0.0, []
    for rank in range(1, size + 1):
        total += (rank + offset) ** -exponent
        out.append(total)
    return out


class Language:
    """Everything one language needs to write sentences, built once from the seed rng."""

    def __init__(self, code: str, rng: random.Random, seeds: list[str], villages: list[str]):
        self.code = code
        self.months = MONTHS[code].split()
        self.people = PEOPLE[code]
        self.groups = GROUPS[code]
        self.sources = SOURCES[code]
        self.seeds = seeds
        self.templates = [self._compile(t) for t in TEMPLATES[code]]
        self.headlines = [self._compile(t) for t in HEADLINES[code]]
        self.boilerplate = BOILERPLATE[code]
        self.country_index = 2 + LANGUAGES.index(code)
        self.villages = villages
        self.thousands = "," if code == "en" else "."

        stop = _stopwords(code)
        self.stopwords = stop
        self.stop_cum = _zipf_cumulative(len(stop), 1.0)

        # Ranked content vocabulary: common words, the seeds' words by frequency, then a
        # shuffled tail of compounds / names, with the rare real words placed far down.
        stopset = set(stop)
        ranked: list[str] = []
        seen: set[str] = set()
        rare_real = set(RARE_REAL[code])

        def add(word: str) -> None:
            key = word.lower()
            if key not in seen and key not in stopset and key not in rare_real:
                seen.add(key)
                ranked.append(word)

        for word in COMMON[code].split():
            add(word)
        counts: dict[str, int] = {}
        for sentence in seeds:
            for word in re.findall(r"[^\W\d_][\w-]*", sentence):
                counts[word.lower()] = counts.get(word.lower(), 0) + 1
        for word, _n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            if len(word) > 2:
                add(word)
        tail: list[str] = []
        if code in COMPOUND_HEADS:
            heads, tails = COMPOUND_HEADS[code], COMPOUND_TAILS[code]
            tail += [h + t for h in heads for t in tails]
            tail += [a + b + t for a in heads[:24] for b in heads[24:] for t in tails[:12]]
        else:
            tail += [f"{a}-{b}" for a in FIRST_NAMES for b in LAST_NAMES]
            tail += [a + b + c for a in SYLLABLES for b in SYLLABLES[:30] for c in SYLLABLES[:8]]
        tail += villages
        rng.shuffle(tail)
        for word in tail:
            add(word)
        for index, word in enumerate(RARE_REAL[code]):
            ranked.insert(min(len(ranked), 2_500 + 450 * index), word)
        self.vocabulary = ranked
        self.cumulative = _zipf_cumulative(len(ranked), ZIPF_EXPONENT, ZIPF_OFFSET)
        self.tail_start = min(400, len(ranked) - 1)

    @staticmethod
    def _compile(template: str) -> tuple[str, tuple[str, ...]]:
        fields = tuple(
            dict.fromkeys(f for _t, f, _s, _c in string.Formatter().parse(template) if f)
        )
        return template, fields


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        rng = self.rng
        seeds = _seed_sentences()
        villages = sorted(
            {
                (a + b).capitalize() + ("" if rng.random() < 0.6 else "-" + c)
                for a in SYLLABLES
                for b in SYLLABLES
                for c in SYLLABLES[:3]
            }
        )
        self.languages = {code: Language(code, rng, seeds[code], villages) for code in LANGUAGES}
        self.country_cum = list(_accumulate(c[1] for c in COUNTRIES))
        self.publisher_cum = _zipf_cumulative(len(PUBLISHERS), 0.9)
        self.language_cum = list(_accumulate(LANGUAGE_WEIGHTS))
        self.places = {c[0]: c[5].split() for c in COUNTRIES}
        self.all_places = [p for c in COUNTRIES for p in c[5].split()]
        self.sha_salt = f"baggrund-bench-search-{seed}"
        # Published dates lean towards 2015-2021, like the real library.
        years = list(range(FIRST_PUBLISHED.year, LAST_PUBLISHED.year + 1))
        weights = [1 + 3 * (2015 <= y <= 2021) + 1 * (y >= 2022) for y in years]
        self.years = years
        self.year_cum = list(_accumulate(weights))

    # -- small picks ------------------------------------------------------------------
    def _weighted(self, cumulative: list[float]) -> int:
        return bisect.bisect(cumulative, self.rng.random() * cumulative[-1])

    def _number(self, lang: Language) -> str:
        r = self.rng.randint
        return f"{r(2, 80)}{lang.thousands}{r(0, 999):03d}"

    def _slots(self, lang: Language, ctx: dict, fields: tuple[str, ...]) -> dict[str, str]:
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
        rng = self.rng
        language = LANGUAGES[self._weighted(self.language_cum)]
        lang = self.languages[language]
        country = COUNTRIES[self._weighted(self.country_cum)]
        published, precision = self.published()
        intake = min(published + dt.timedelta(days=rng.randint(3, 500)), LAST_INTAKE)
        ctx = {
            "places": self.places[country[0]],
            "country_name": country[lang.country_index],
            "year": published.year,
        }
        template, fields = lang.headlines[int(rng.random() * len(lang.headlines))]
        title = template.format(**self._slots(lang, ctx, fields))

        english = self.languages["en"]
        en_ctx = dict(ctx, country_name=country[english.country_index])
        texts: list[tuple[str, str, str]] = [(title, language, "")]  # text, language, kind
        for _ in range(passages - 1):
            if language != "en" and rng.random() < OTHER_LANGUAGE_SHARE:
                texts.append((self.paragraph(english, en_ctx), "en", ""))
            else:
                texts.append((self.paragraph(lang, ctx), language, ""))
        # Boilerplate: about one passage in 27, in the places a web page puts it.
        plates = lang.boilerplate
        if len(texts) > 3:
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

        roll = rng.random()
        kind = "txt" if roll < 0.45 else ("html" if roll < 0.8 else "pdf")
        if kind == "txt" and rng.random() < 0.5:
            shape = "board-header"
            header = (
                "Flygtningenævnets baggrundsmateriale\n\n"
                f"Bilagsnr.: {number}\nLand: {country[2]}\nTitel: {title}\n"
                f"Udgivet: {published.isoformat()}\n"
                f"Optaget på baggrundsmaterialet: {intake.isoformat()}\n\n"
            )
        else:
            shape = "news" if kind != "pdf" else "plain"
            header = ""
        rows = []
        position = len(header)
        parts = [header]
        for ordinal, (text, passage_language, plate) in enumerate(texts, start=1):
            end = position + len(text)
            page = 1 + (ordinal - 1) // 6 if kind == "pdf" else None
            rows.append((ordinal, text, position, end, page, passage_language, plate))
            parts.append(text)
            parts.append("\n\n")
            position = end + 2
        full_text = "".join(parts)
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
            "country": country[0],
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

    def passage_count(self) -> int:
        """About 27 passages a bilag: short notes to long reports."""
        return max(3, min(90, int(self.rng.gammavariate(4.0, PASSAGES_PER_BILAG / 4.0))))


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


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


# ---------------------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------------------


def open_database(
    kind: str, *, fresh: bool = False, pg_name: str = PG_NAME, sqlite_path: Path = SQLITE_PATH
) -> str:
    """Point Django at the benchmark database (made and migrated if needed); returns its URL.

    Call before importing anything from Django or the project.
    """
    if kind == "postgres":
        import psycopg

        with psycopg.connect(f"{dbsetup.PG_SERVER}/postgres", autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [pg_name]
            ).fetchone()
        if fresh and exists:
            dbsetup._pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        if fresh or not exists:
            dbsetup._pg_admin(f'CREATE DATABASE "{pg_name}"')
        url = f"{dbsetup.PG_SERVER}/{pg_name}"
    elif kind == "sqlite":
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{sqlite_path}"
    else:
        raise SystemExit(f"unknown database kind {kind!r}: sqlite or postgres")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["BAGGRUND_MEDIA_ROOT"] = str(MEDIA_ROOT)

    import django
    from django.core.management import call_command

    django.setup()
    from django.utils import translation

    translation.activate("en")
    call_command("migrate", verbosity=0, interactive=False)
    return url


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
    return str(value)


def _copy_lines(rows) -> str:
    return "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)


BILAG_COLUMNS = (
    "id, number, country, publisher_id, title, published, published_precision, intake, "
    "language, status, withdrawn_on, withdrawn_reason, original, original_name, kind, sha256, "
    "full_text, shape, created_at, created_by_id, updated_at"
)
PASSAGE_COLUMNS = (
    'id, bilag_id, ordinal, text, start, "end", page, language, boilerplate, boilerplate_kind, '
    "country, publisher_id, published, intake, withdrawn"
)


def _row_tuples(chunk, bilag_id: int, passage_id: int, publisher_ids: list[int], zone=""):
    """Bilag and passage rows (in BILAG_COLUMNS / PASSAGE_COLUMNS order) of a chunk, and
    the next free ids."""
    bilag_rows, passage_rows = [], []
    for item in chunk:
        created = f"{item['intake'].isoformat()} 10:00:00{zone}"
        publisher = None if item["publisher"] is None else publisher_ids[item["publisher"]]
        bilag_rows.append(
            (
                bilag_id,
                item["number"],
                item["country"],
                publisher,
                item["title"],
                item["published"].isoformat(),
                item["precision"],
                item["intake"].isoformat(),
                item["language"],
                item["status"],
                item["withdrawn_on"].isoformat() if item["withdrawn_on"] else None,
                item["withdrawn_reason"],
                item["original"],
                item["original_name"],
                item["kind"],
                item["sha256"],
                item["full_text"],
                item["shape"],
                created,
                None,
                created,
            )
        )
        for ordinal, text, start, end, page, language, plate in item["passages"]:
            passage_rows.append(
                (
                    passage_id,
                    bilag_id,
                    ordinal,
                    text,
                    start,
                    end,
                    page,
                    language,
                    bool(plate),
                    plate,
                    item["country"],
                    publisher,
                    item["published"].isoformat(),
                    item["intake"].isoformat(),
                    item["status"] == "withdrawn",
                )
            )
            passage_id += 1
        bilag_id += 1
    return bilag_rows, passage_rows, bilag_id, passage_id


def _rows(chunk, bilag_id: int, passage_id: int, publisher_ids: list[int]):
    """COPY text for the bilag and the passages of a chunk; returns the next ids too."""
    bilag_rows, passage_rows, bilag_id, passage_id = _row_tuples(
        chunk, bilag_id, passage_id, publisher_ids, zone="+00"
    )
    return _copy_lines(bilag_rows), _copy_lines(passage_rows), bilag_id, passage_id


class _VectorWorker(threading.Thread):
    """Second connection: staging chunk -> library_passage with to_tsvector, in the database."""

    def __init__(self, url: str, insert_sql: str):
        super().__init__(daemon=True)
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        self.conn.execute("SET synchronous_commit = off")
        self.insert_sql = insert_sql
        self.tasks: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.busy_seconds = 0.0

    def run(self):
        while True:
            table = self.tasks.get()
            if table is None:
                return
            if self.error:
                continue
            try:
                started = time.perf_counter()
                with self.conn.transaction():
                    self.conn.execute(self.insert_sql.format(stage=table))
                self.conn.execute(f"DROP TABLE {table}")
                self.busy_seconds += time.perf_counter() - started
            except BaseException as exc:  # reported by the main thread
                self.error = exc


def load_postgres(args, url: str) -> dict:
    from django.db import connection

    from library.search import index
    from library.search.backends import GIN_INDEX, RUM_INDEX, uses_rum, vector_sql

    timings: dict[str, float] = {}
    started = time.perf_counter()
    conn = connection.cursor().connection  # psycopg 3 Connection under Django's wrapper
    conn.execute("SET synchronous_commit = off")

    cur = conn.cursor()
    cur.execute("SELECT coalesce(max(id), 0), coalesce(max(number), 0) FROM library_bilag")
    bilag_id, number = cur.fetchone()
    cur.execute("SELECT coalesce(max(id), 0), count(*) FROM library_passage")
    passage_id, existing_passages = cur.fetchone()
    bilag_id, passage_id = bilag_id + 1, passage_id + 1

    # Publishers: reuse by name, COPY the missing ones.
    cur.execute("SELECT name, id FROM library_publisher")
    known = dict(cur.fetchall())
    missing = [name for name in PUBLISHERS if name not in known]
    if missing:
        with cur.copy("COPY library_publisher (name) FROM STDIN") as copy:
            copy.write(_copy_lines((name,) for name in missing))
        cur.execute("SELECT name, id FROM library_publisher")
        known = dict(cur.fetchall())
    publisher_ids = [known[name] for name in PUBLISHERS]

    keep_index = args.keep_index
    had_rum = uses_rum()
    if not keep_index:
        cur.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")
        cur.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")

    insert_sql = (
        f"INSERT INTO library_passage ({PASSAGE_COLUMNS}, search_vector) "
        f"SELECT {PASSAGE_COLUMNS}, CASE WHEN boilerplate THEN NULL "
        f"ELSE {vector_sql()} END "
        "FROM {stage} ORDER BY id"
    )
    worker = _VectorWorker(url, insert_sql)
    worker.start()

    generate_seconds = copy_seconds = 0.0
    loaded_bilag = loaded_passages = 0
    chunks = generate(args.passages, args.seed, number + 1)
    for k, chunk in enumerate(_timed(chunks, timings, "generate")):
        t0 = time.perf_counter()
        bilag_text, passage_text, next_bilag, next_passage = _rows(
            chunk, bilag_id, passage_id, publisher_ids
        )
        generate_seconds += time.perf_counter() - t0
        t0 = time.perf_counter()
        stage = f"bench_passage_stage_{os.getpid()}_{k}"
        cur.execute(
            f"CREATE UNLOGGED TABLE {stage} (id bigint, bilag_id bigint, ordinal integer, "
            'text text, start integer, "end" integer, page integer, language varchar(3), '
            "boilerplate boolean, boilerplate_kind varchar(20), country varchar(2), "
            "publisher_id bigint, published date, intake date, withdrawn boolean)"
        )
        with cur.copy(f"COPY library_bilag ({BILAG_COLUMNS}) FROM STDIN") as copy:
            copy.write(bilag_text)
        with cur.copy(f"COPY {stage} ({PASSAGE_COLUMNS}) FROM STDIN") as copy:
            copy.write(passage_text)
        copy_seconds += time.perf_counter() - t0
        if worker.error:
            break
        worker.tasks.put(stage)  # blocks while two chunks wait: bounded memory
        loaded_bilag += next_bilag - bilag_id
        loaded_passages += next_passage - passage_id
        bilag_id, passage_id = next_bilag, next_passage
        if args.progress:
            elapsed = time.perf_counter() - started
            print(
                f"  {loaded_passages:>10,} passages staged, {elapsed:6.1f} s",
                file=sys.stderr,
                flush=True,
            )
    t0 = time.perf_counter()
    worker.tasks.put(None)
    worker.join()
    worker.conn.close()
    timings["wait for vectors"] = time.perf_counter() - t0
    if worker.error:
        raise worker.error
    timings["generate (python)"] = timings.pop("generate") + generate_seconds
    timings["copy (bilag + staging)"] = copy_seconds
    timings["to_tsvector + insert (2nd connection)"] = worker.busy_seconds

    for table in ("library_publisher", "library_bilag", "library_passage"):
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )

    index_kind = "kept"
    if not keep_index:
        t0 = time.perf_counter()
        cur.execute("SET maintenance_work_mem = '1GB'")
        index_kind = index.create_index("rum" if had_rum or args.index == "rum" else args.index)
        cur.execute("RESET maintenance_work_mem")
        timings[f"create index ({index_kind})"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for table in ("library_publisher", "library_bilag", "library_passage"):
        cur.execute(f"VACUUM (ANALYZE) {table}")
    timings["vacuum analyze"] = time.perf_counter() - t0
    cur.close()
    return {
        "bilag": loaded_bilag,
        "passages": loaded_passages,
        "existing_passages": existing_passages,
        "publishers": len(missing),
        "seconds": time.perf_counter() - started,
        "timings": timings,
        "index": index_kind,
    }


def _timed(iterable, timings: dict, key: str):
    """Yield from `iterable`, adding the time spent inside it to timings[key]."""
    timings.setdefault(key, 0.0)
    iterator = iter(iterable)
    while True:
        t0 = time.perf_counter()
        try:
            item = next(iterator)
        except StopIteration:
            timings[key] += time.perf_counter() - t0
            return
        timings[key] += time.perf_counter() - t0
        yield item


def load_sqlite(args) -> dict:
    from django.db import connection, transaction

    from library.search.index import reindex_all

    timings: dict[str, float] = {}
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0), coalesce(max(number), 0) FROM library_bilag")
        bilag_id, number = cur.fetchone()
        cur.execute("SELECT coalesce(max(id), 0), count(*) FROM library_passage")
        passage_id, existing = cur.fetchone()
        bilag_id, passage_id = bilag_id + 1, passage_id + 1
        cur.execute("SELECT name, id FROM library_publisher")
        known = dict(cur.fetchall())
        missing = [name for name in PUBLISHERS if name not in known]
        with transaction.atomic():
            cur.executemany(
                "INSERT INTO library_publisher (name) VALUES (%s)", [(n,) for n in missing]
            )
        cur.execute("SELECT name, id FROM library_publisher")
        known = dict(cur.fetchall())
    publisher_ids = [known[name] for name in PUBLISHERS]
    first_passage = passage_id
    loaded_bilag = 0
    bilag_sql = f"INSERT INTO library_bilag ({BILAG_COLUMNS}) VALUES ({', '.join(['%s'] * 21)})"
    passage_sql = (
        f"INSERT INTO library_passage ({PASSAGE_COLUMNS}) VALUES ({', '.join(['%s'] * 15)})"
    )
    for chunk in _timed(generate(args.passages, args.seed, number + 1), timings, "generate"):
        t0 = time.perf_counter()
        bilag_rows, passage_rows, bilag_id, passage_id = _row_tuples(
            chunk, bilag_id, passage_id, publisher_ids
        )
        with transaction.atomic(), connection.cursor() as cur:
            cur.executemany(bilag_sql, bilag_rows)
            cur.executemany(passage_sql, passage_rows)
        loaded_bilag += len(bilag_rows)
        timings["insert"] = timings.get("insert", 0.0) + time.perf_counter() - t0
    t0 = time.perf_counter()
    reindex_all(progress=args.progress)
    timings["FTS5 (reindex_all)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    timings["analyze"] = time.perf_counter() - t0
    return {
        "bilag": loaded_bilag,
        "passages": passage_id - first_passage,
        "existing_passages": existing,
        "publishers": len(missing),
        "seconds": time.perf_counter() - started,
        "timings": timings,
        "index": "fts5",
    }


def check(sample: int = 300) -> str:
    """Spot check: passage text is its bilag's full_text[start:end]."""
    from library.models import Bilag

    ids = list(Bilag.objects.order_by("-id").values_list("id", flat=True)[:sample])
    bad = 0
    for bilag in Bilag.objects.filter(id__in=ids).prefetch_related("passages"):
        for passage in bilag.passages.all():
            if bilag.full_text[passage.start : passage.end] != passage.text:
                bad += 1
    return f"{len(ids)} newest bilag, {bad} passages not matching their full_text"


def generate_only(args) -> int:
    """Time generation alone and print the share of passages holding some query words."""
    from library.search import stems

    started = time.perf_counter()
    bilag = passages = plates = 0
    df: dict[tuple[str, str], int] = {}
    words = args.words.split(",") if args.words else []
    configs = {"da": "danish", "nb": "norwegian", "en": "english"}
    targets = {(w, c): stems.stem(w.lower(), c) for w in words for c in configs.values()}
    sample_every = max(1, args.passages // 100_000)
    sampled = 0
    for chunk in generate(args.passages, args.seed, 1):
        for item in chunk:
            bilag += 1
            for _o, text, _s, _e, _p, language, plate in item["passages"]:
                passages += 1
                plates += bool(plate)
                if words and not plate and passages % sample_every == 0:
                    sampled += 1
                    config = configs[language]
                    present = set(stems.stem_tokens([w.lower() for w in stems.words(text)], config))
                    for word in words:
                        if targets[(word, config)] in present:
                            df[(word, language)] = df.get((word, language), 0) + 1
    seconds = time.perf_counter() - started
    print(
        f"generated {bilag:,} bilag, {passages:,} passages ({plates:,} boilerplate) "
        f"in {seconds:.1f} s: {passages / seconds:,.0f} passages/s"
    )
    for word in words:
        share = sum(df.get((word, lang), 0) for lang in LANGUAGES) / max(sampled, 1)
        print(f"  {word:<24} {100 * share:6.2f} % of {sampled:,} sampled content passages")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="drop, recreate and migrate first")
    parser.add_argument("--pg-name", default=PG_NAME)
    parser.add_argument("--sqlite-path", type=Path, default=SQLITE_PATH)
    parser.add_argument(
        "--keep-index",
        action="store_true",
        help="PostgreSQL: load into the indexed table instead of dropping and rebuilding it",
    )
    parser.add_argument("--index", choices=["auto", "rum", "gin"], default="auto")
    parser.add_argument("--progress", action="store_true")
    parser.add_argument("--generate-only", action="store_true", help="no database: time it")
    parser.add_argument("--words", default="", help="with --generate-only: words to count")
    args = parser.parse_args()

    if args.generate_only:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        return generate_only(args)

    open_database(
        args.database, fresh=args.fresh, pg_name=args.pg_name, sqlite_path=args.sqlite_path
    )
    if args.database == "postgres":
        result = load_postgres(args, os.environ["DATABASE_URL"])
    else:
        result = load_sqlite(args)

    from django.db import connection

    from library.models import Bilag, Passage

    seconds = result["seconds"]
    print(f"database        {args.database}: {os.environ['DATABASE_URL']}")
    print(
        f"loaded          {result['bilag']:,} bilag, {result['passages']:,} passages, "
        f"{result['publishers']} new publishers (seed {args.seed}; "
        f"{result['existing_passages']:,} passages were there before)"
    )
    for name, value in result["timings"].items():
        print(f"  {name:<38} {value:7.1f} s")
    print(f"search index    {result['index']}")
    print(f"seconds         {seconds:.1f} (generation, load, search vectors, index, analyze)")
    print(f"passages/s      {result['passages'] / seconds:,.0f}")
    total = Passage.objects.count()
    plates = Passage.objects.filter(boilerplate=True).count()
    print(
        f"now in database {Bilag.objects.count():,} bilag "
        f"({Bilag.objects.filter(status='withdrawn').count():,} withdrawn), "
        f"{total:,} passages ({100 * plates / max(total, 1):.1f} % boilerplate)"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT pg_size_pretty(pg_total_relation_size('library_passage')), "
                "pg_size_pretty(pg_relation_size('passage_search_rum')) "
                "FROM (SELECT 1) x WHERE EXISTS (SELECT 1 FROM pg_class "
                "WHERE relname = 'passage_search_rum')"
            )
            row = cur.fetchone()
            if row:
                print(f"sizes           library_passage {row[0]} total, RUM index {row[1]}")
    print(f"check           {check()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
