"""The words both generated corpora are made of: countries, publishers, names, groups, words.

bench/corpus.py (files for the ingest benchmarks) draws from the first part of several
tables (INGEST_* and the slices it takes); bench/searchcorpus draws from all of them.
Order matters: a seed picks by position, so reordering a table changes the corpus.
"""

from typing import NamedTuple


def _words(text: str) -> list[str]:
    return text.split()


def _items(text: str) -> list[str]:
    """Items that hold spaces, written "a b; c; d e"."""
    return [item.strip() for item in text.split(";")]


LANGUAGES = ("da", "nb", "en")
MONTHS = {
    "da": "januar februar marts april maj juni juli august september oktober november december",
    "nb": "januar februar mars april mai juni juli august september oktober november desember",
    "en": "January February March April May June July August September October November December",
}


class Country(NamedTuple):
    code: str
    weight: float  # share of the search corpus's bilag
    da: str
    nb: str
    en: str
    places: list[str]  # split on spaces: "Deir ez-Zor" is two places, as it always was

    def name(self, language: str) -> str:
        return getattr(self, language)


COUNTRIES = [
    Country(
        "SY",
        36,
        "Syrien",
        "Syria",
        "Syria",
        _words(
            "Deir ez-Zor Baghouz Hajin al-Hol Raqqa Idlib Aleppo Homs Kobani Qamishli Afrin "
            "Manbij Tabqa Hasakah Daraa Sweida Palmyra Damaskus Latakia Hama"
        ),
    ),
    Country(
        "IQ",
        14,
        "Irak",
        "Irak",
        "Iraq",
        _words("Mosul Kirkuk Erbil Bagdad Fallujah Ramadi Tikrit Sinjar Basra Dohuk Sulaymaniyah"),
    ),
    Country(
        "AF",
        11,
        "Afghanistan",
        "Afghanistan",
        "Afghanistan",
        _words("Kabul Herat Kandahar Mazar-i-Sharif Jalalabad Kunduz Helmand Ghazni Bamiyan"),
    ),
    Country(
        "SO",
        8,
        "Somalia",
        "Somalia",
        "Somalia",
        _words("Mogadishu Kismayo Baidoa Beledweyne Garowe Hargeisa Bosaso Galkayo"),
    ),
    Country(
        "ER", 6, "Eritrea", "Eritrea", "Eritrea", _words("Asmara Massawa Keren Assab Sawa Barentu")
    ),
    Country(
        "IR",
        5,
        "Iran",
        "Iran",
        "Iran",
        _words("Teheran Isfahan Shiraz Mashhad Tabriz Zahedan Ahvaz"),
    ),
    Country(
        "SD",
        4,
        "Sudan",
        "Sudan",
        "Sudan",
        _words("Khartoum Darfur El-Fasher Nyala Omdurman Kassala"),
    ),
    Country(
        "ET",
        3.5,
        "Etiopien",
        "Etiopia",
        "Ethiopia",
        _words("Addis-Abeba Tigray Mekelle Gondar Amhara"),
    ),
    Country("LY", 3, "Libyen", "Libya", "Libya", _words("Tripoli Benghazi Misrata Sirte Sabha")),
    Country("YE", 2.5, "Jemen", "Jemen", "Yemen", _words("Aden Sanaa Hodeidah Marib Taiz")),
    Country("LB", 2, "Libanon", "Libanon", "Lebanon", _words("Beirut Baalbek Arsal Sidon")),
    Country(
        "TR", 2, "Tyrkiet", "Tyrkia", "Turkey", _words("Ankara Istanbul Gaziantep Sanliurfa Hatay")
    ),
    Country(
        "PK", 1.5, "Pakistan", "Pakistan", "Pakistan", _words("Peshawar Quetta Karachi Lahore")
    ),
    Country("RU", 1, "Rusland", "Russland", "Russia", _words("Grozny Moskva Makhachkala")),
    Country("MM", 0.5, "Myanmar", "Myanmar", "Myanmar", _words("Rakhine Sittwe Yangon")),
]
# The ingest files' places: a few of each of the first ten countries' ("Deir ez-Zor" whole).
INGEST_PLACES = _items(
    "Deir ez-Zor; Baghouz; Hajin; al-Hol; Raqqa; Idlib; Mosul; Kirkuk; Kabul; Herat; "
    "Mogadishu; Kismayo; Asmara; Khartoum; Darfur; Tigray; Tripoli; Aden"
)

# Most frequent first: the search corpus draws them Zipf-like by this rank.
PUBLISHERS = _items(
    "Landinfo; Udlændingestyrelsen; BBC News; Reuters; SOHR; UNHCR; Human Rights Watch; "
    "Amnesty International; NRK; DR; VG; Ritzau; NTB; AFP; Associated Press; The Guardian; "
    "Al Jazeera; Politiken; Aftenposten; Berlingske; Jyllands-Posten; Information; "
    "Kristeligt Dagblad; TV 2; Dagbladet; Bergens Tidende; Klassekampen; "
    "Utlendingsdirektoratet; EUAA; UN OCHA; UNICEF; World Food Programme; ICRC; "
    "Médecins Sans Frontières; Norwegian Refugee Council; Danish Refugee Council; "
    "International Crisis Group; ACLED; Airwars; Syrians for Truth and Justice; "
    "Syrian Network for Human Rights; Enab Baladi; Rudaw; Kurdistan24; The New York Times; "
    "The Washington Post; Financial Times; The Economist; Foreign Policy; Middle East Eye; "
    "The National; Deutsche Welle; France 24; Le Monde; US State Department; UK Home Office; "
    "ACCORD; Freedom House; Institute for the Study of War; Weekendavisen"
)
# Fifteen of them, in the order the ingest files have always drawn them (uniformly).
INGEST_PUBLISHERS = _items(
    "BBC News; Landinfo; SOHR; Reuters; VG; NRK; DR; Politiken; Aftenposten; "
    "Amnesty International; Human Rights Watch; UNHCR; Udlændingestyrelsen; The Guardian; "
    "Al Jazeera"
)

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

# The ingest files use the first six of each (five people in English).
PEOPLE = {
    "da": _items(
        "civile; kvinder og børn; familier; flygtninge; fremmedkrigere; fanger; "
        "internt fordrevne; asylansøgere"
    ),
    "nb": _items(
        "sivile; kvinner og barn; familier; flyktninger; fremmedkrigere; fanger; "
        "internt fordrevne; asylsøkere"
    ),
    "en": _items(
        "civilians; women and children; families; refugees; foreign fighters; detainees; "
        "internally displaced people; asylum seekers"
    ),
}
GROUPS = {
    "da": _items(
        "SDF; IS; regeringsstyrkerne; militsen; oprørsgrupperne; al-Shabaab; Taliban; koalitionen"
    ),
    "nb": _items(
        "SDF; IS; regjeringsstyrkene; militsen; opprørsgruppene; al-Shabaab; Taliban; koalisjonen"
    ),
    "en": _items(
        "the SDF; IS; government forces; the militia; rebel groups; al-Shabaab; the Taliban; "
        "the coalition"
    ),
}
SOURCES = {
    "da": _items(
        "en talsmand for SDF; FN; Sohr; en lokal læge; Røde Kors; nyhedsbureauet AFP; "
        "Human Rights Watch; Amnesty International; UNHCR; lokale kilder"
    ),
    "nb": _items(
        "en talsmann for SDF; FN; SOHR; en lokal lege; Røde Kors; nyhetsbyrået NTB; "
        "Human Rights Watch; Amnesty International; UNHCR; lokale kilder"
    ),
    "en": _items(
        "an SDF spokesman; the UN; SOHR; a local doctor; the Red Cross; AFP; "
        "Human Rights Watch; Amnesty International; UNHCR; local sources"
    ),
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
