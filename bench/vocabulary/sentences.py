"""The sentences both generated corpora are made of: templates, headlines, boilerplate.

A template's {slots} are filled by the generator: {n}, {small}, {big}, {money} numbers,
{people}, {group}/{Group}, {source}, {place}, {month} from bench/vocabulary/words.py;
the search corpus's also {camp}, {country}, {year}, {year2}, {name}, {publisher},
{village} and {rare} (a word from far down its ranked vocabulary).
"""

# The search corpus's sentences (bench/searchcorpus): one passage mixes these with the
# seed texts' sentences and runs of Zipf-drawn words.
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
# The ingest files' sentences (bench/corpus.py): fewer slots. Four in each language are
# also in TEMPLATES; both lists stay as they are so that a seed keeps its corpus.
INGEST_TEMPLATES = {
    "da": [
        "Over {n} {people} er flygtet fra området omkring {place} siden {month}, siger {source}.",
        "Ifølge {source} blev mindst {small} mennesker dræbt, da {group} angreb {place} i nat.",
        "Lejren ved {place} var bygget til {n} mennesker, men huser nu mere end {big}.",
        "Der mangler fortsat vand, telte og lægehjælp, og mange af de {people} er syge efter "
        "flere uger på flugt.",
        "{Group} har ifølge {source} lagt landminer langs vejene ud af {place}.",
        "Det er endnu uklart, hvad der skal ske med de {small} {people}, som blev taget til "
        "fange efter kampene i {month}.",
        "Efter en pause i kampene har {group} genoptaget offensiven mod {place}, og der blev "
        "udkæmpet hårde kampe søndag.",
        "Nogle af de {people} siger, at de har betalt smuglere op mod {money} dollar for at "
        "komme ud af {place}.",
    ],
    "nb": [
        "Over {n} {people} har flyktet fra området rundt {place} siden {month}, sier {source}.",
        "Ifølge {source} ble minst {small} mennesker drept da {group} angrep {place} i natt.",
        "Leiren ved {place} var bygget for {n} mennesker, men huser nå mer enn {big}.",
        "Det mangler fortsatt vann, telt og legehjelp, og mange av de {people} er syke etter "
        "flere uker på flukt.",
        "{Group} har ifølge {source} lagt ut landminer langs veiene ut av {place}.",
        "Det er ennå uklart hva som skal skje med de {small} {people} som ble tatt til fange "
        "etter kampene i {month}.",
        "Etter en pause i kampene har {group} gjenopptatt offensiven mot {place}, og det ble "
        "utkjempet harde kamper søndag.",
        "Noen av de {people} sier at de har betalt smuglere opptil {money} dollar for å komme "
        "seg ut av {place}.",
    ],
    "en": [
        "More than {n} {people} have fled the area around {place} since {month}, {source} said.",
        "According to {source}, at least {small} people were killed when {group} attacked "
        "{place} overnight.",
        "The camp at {place} was built for {n} people but now holds more than {big}.",
        "Water, tents and medical care are still in short supply, and many of the {people} "
        "are ill after weeks on the move.",
        "{Group} have laid landmines along the roads out of {place}, according to {source}.",
        "It is still unclear what will happen to the {small} {people} who were detained "
        "after the fighting in {month}.",
        "After a pause in the fighting, {group} resumed the offensive on {place}, and there "
        "was heavy fighting on Sunday.",
        "Some of the {people} say they paid smugglers up to {money} dollars to get out of {place}.",
    ],
}
# The ingest files use the first headline of each language.
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
# Kind, text: cookie notices, share buttons, photo captions and credits, footers. The
# ingest files use the first three texts of each language.
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
