"""The first topics and their lexicons (syntax: library.topics).

The data is written out here, not imported, so the migration stays what it was when the
lexicons change later (admins edit them in the database; `manage.py topic_quality`
measures them against seeds/topic_labels.toml). Reversing deletes these slugs only.

Conventions in the lexicons below:
- A word covers its inflections (stem); a glob covers compounds and prefixes, so
  `*flygtningelejr*` finds flygtningelejrene and `*landmine*` finds landminerne.
- Words with a second sense are only used in an all-of line with a word that fixes the
  sense: bare "lejr"/"leir"/"camp" needs a refugee word, "civile" needs a harm word.
- Danish and Norwegian "mine" is also the pronoun "my", so mines are only found as
  compounds (landmine, minefelt, minelagt); English "mine" needs an explosive word.
- An exclusion vetoes the whole passage, so it is kept for a word in another sense that a
  positive line would otherwise take (the Assad camp, a training camp, civilian clothes).
"""

from django.db import migrations

TOPICS = [
    {
        "slug": "refugee-camps",
        "name_da": "Flygtningelejre",
        "name_en": "Refugee camps",
        "description": (
            "Camps for refugees and internally displaced people (al-Hol, Roj, Rukban) and "
            "conditions in them. Not military or training camps, not a political camp."
        ),
        "lexicon_da": """\
# Lejre for flygtninge og internt fordrevne, og forholdene i dem.
*flygtningelejr* | *flygtningslejr* | *flygtninglejr*
*teltlejr* | *modtagelejr* | *transitlejr* | *fordrevnelejr* | *opsamlingslejr*
lejr + flygtning* | *flygtet | flygte | flugt* | fordrevne | fordrevet | unhcr | telte | telt
# Navngivne lejre (Syrien, Jordan, Grækenland, Bangladesh, Kenya).
"al hol" | "roj lejr" | rukban | zaatari | azraq | moria | kutupalong | dadaab | kakuma
*lejrbeboer*
# Andre betydninger af "lejr": politisk lejr, træningslejr.
- "assad lejr" | "regimets lejr" | "regeringens lejr" | "oppositionens lejr"
- "vestlige lejr" | "russiske lejr"
""",
        "lexicon_nb": """\
# Leirer for flyktninger og internt fordrevne, og forholdene i dem.
*flyktningleir* | *flyktningeleir* | *flyktningsleir*
*teltleir* | *mottaksleir* | *transittleir* | *fordrevneleir* | *oppsamlingsleir*
leir + flyktning* | flyktet | flykte | flukt* | fordrevne | fordrevet | unhcr | telt
# Navngitte leirer (Syria, Jordan, Hellas, Bangladesh, Kenya).
"al hol" | "roj leir" | rukban | zaatari | azraq | moria | kutupalong | dadaab | kakuma
*leirbeboer*
# Andre betydninger av "leir": politisk leir. (Treningsleir og militærleir er andre
# sammensetninger og fanges ikke av linjene over.)
- "assad leir" | "regimets leir" | "regjeringens leir" | "opposisjonens leir"
- "vestlige leir" | "russiske leir"
""",
        "lexicon_en": """\
# Camps for refugees and internally displaced people, and conditions in them.
"refugee camp" | "refugees camp" | "displacement camp" | "idp camp" | "idps camp"
"displaced persons camp" | "displaced people camp" | "tent camp" | "transit camp"
"camp for refugees" | "camp for displaced" | "camp residents"
"tented settlement" | "informal settlement" | encampment
camp + refugee | displaced | displacement | idp | idps | "internally displaced" | unhcr | asylum
# Named camps (Syria, Jordan, Greece, Bangladesh, Kenya).
"al hol" | "al hawl" | "roj camp" | rukban | zaatari | azraq | moria | kutupalong | dadaab | kakuma
# "camp" in another sense: a political camp, a training or military camp.
- "assad camp" | "pro assad camp" | "pro government camp" | "pro regime camp"
- "opposition camp" | "rival camp" | "western camp" | "russian camp"
- "training camp" | "military camp" | "army camp" | "militia camp" | "boot camp"
""",
    },
    {
        "slug": "foreign-fighters",
        "name_da": "Fremmedkrigere",
        "name_en": "Foreign fighters",
        "description": (
            "Fighters from abroad in armed groups: their numbers, citizenship, return, "
            "repatriation and prosecution. Not local fighters, not foreign armies."
        ),
        "lexicon_da": """\
# Fremmedkrigere: krigere fra udlandet i væbnede grupper, deres hjemrejse og statsborgerskab.
*fremmedkriger* | *fremmedkæmper* | *syrienskriger* | *syriensfarer* | *syrienfarer*
"fremmede krigere" | "udenlandske krigere" | "udenlandske jihadister" | "udenlandske kæmpere"
"udenlandske is krigere" | "udenlandske militante" | "udenlandske terrorkrigere"
jihadist* | *kriger* | militant* | *oprører* + udlænding* | statsborgerskab* | statsborger
jihadist* | *kriger* + hjemtag* | repatri* | hjemvendt* | hjemrejs*
udrejste + syrien | irak | konfliktzone* | kampzone*
"rejst til syrien" | "rejste til syrien" | "rejst til irak" | "rejste til irak"
""",
        "lexicon_nb": """\
# Fremmedkrigere: krigere fra utlandet i væpnede grupper, hjemreise og statsborgerskap.
*fremmedkriger* | *fremmedkjemper* | *syriakriger* | *syriafarer*
"fremmede krigere" | "utenlandske krigere" | "utenlandske jihadister" | "utenlandske kjempere"
"utenlandske is krigere" | "utenlandske militante" | "utenlandske terrorkrigere"
jihadist* | *kriger* | militant* | *opprører* + utlending* | statsborgerskap* | statsborger
jihadist* | *kriger* + hjemhent* | "hente hjem" | repatri* | hjemvendt* | hjemreis*
"reist til syria" | "reiste til syria" | "reist til irak" | "reiste til irak"
""",
        "lexicon_en": """\
# Fighters from abroad in armed groups, their return, citizenship and repatriation.
"foreign fighter" | "foreign terrorist fighter" | "foreign jihadist" | "foreign militant"
"foreign recruit" | "foreign national fighter" | "foreign isis" | "foreign is fighter"
fighter* | jihadist* | militant* + foreigner* | citizenship | passport* | repatriat*
returnee* + fighter* | jihadist* | isis | isil | daesh | "islamic state"
"travelled to syria" | "traveled to syria" | "travelled to iraq" | "traveled to iraq"
"joined the islamic state" | "joined isis" | "joined isil" | "joined daesh"
""",
    },
    {
        "slug": "civilian-casualties",
        "name_da": "Civile tab",
        "name_en": "Civilian casualties",
        "description": (
            "Civilians killed or wounded, civilian death tolls (claimed or denied) and "
            "direct danger to civilian lives in fighting. Not deaths of fighters."
        ),
        "lexicon_da": """\
# Civile dræbt eller såret; dødstal; fare for civiles liv. Ikke dræbte krigere.
civile | civil | civilist | civilbefolkning* + dræbt* | dræbe | dræber | drab | omkom* | døde | død
civile | civil | civilist | civilbefolkning* + *dødsfald* | *dødstal* | massakre* | menneskeliv
civile | civil | civilist | civilbefolkning* + såret | sårede | såre | kvæstet | kvæstede | lemlæst*
civile | civil | civilist | civilbefolkning* + "mistet livet" | "mistede livet"
"civile tab" | "civile ofre" | "civile liv" | "tab af menneskeliv"
mennesker | personer | indbyggere | beboere + dræbt* | omkom* | "mistet livet" | "mistede livet"
børn | kvinder + dræbt* | omkom* | "mistet livet" | "mistede livet"
# "civilt tøj": krigere i civilt tøj er ikke civile.
- "civilt tøj" | "civile klæder" | "i civil"
""",
        "lexicon_nb": """\
# Sivile drept eller såret; dødstall; fare for sivile liv. Ikke drepte krigere.
sivile | sivil | sivilist | sivilbefolkning* + drept* | drepe | dreper | drap | omkom* | døde | død
sivile | sivil | sivilist | sivilbefolkning* + *dødsfall* | *dødstall* | massakre* | menneskeliv
sivile | sivil | sivilist | sivilbefolkning* + såret | sårede | skadd | lemlest*
sivile | sivil | sivilist | sivilbefolkning* + "mistet livet" | "miste livet" | livene*
"sivile tap" | "sivile ofre" | "sivile liv" | "tap av menneskeliv"
mennesker | personer | innbyggere | beboere + drept* | omkom* | "mistet livet" | "miste livet"
barn | kvinner + drept* | omkom* | "mistet livet"
# "sivile klær": krigere i sivile klær er ikke sivile.
- "sivile klær" | "i sivil"
""",
        "lexicon_en": """\
# Civilians killed or wounded, death tolls, danger to civilian lives. Not dead fighters.
civilian | "civilian population" + kill | die | died | dead | death | massacre* | "lost their lives"
civilian | "civilian population" + wound | injur* | casualt* | maimed
"civilian casualties" | "civilian deaths" | "civilian death toll" | "civilian toll"
"civilian lives"
people | persons | residents + killed | died | "lost their lives" | "death toll"
children | women + killed | died | "lost their lives"
# Fighters in civilian clothes are not civilians.
- "civilian clothes" | "civilian clothing"
""",
    },
    {
        "slug": "displacement",
        "name_da": "Flugt og fordrivelse",
        "name_en": "Displacement",
        "description": (
            "People fleeing, evacuated, displaced or leaving an area; humanitarian "
            "corridors; arrivals of displaced people."
        ),
        "lexicon_da": """\
flygte | flygtet | flygtede | flygter | flugt* | *flygtning*
fordrevne | fordrevet | fordrive* | fordrivelse* | evakuer* | "humanitær korridor"
"internt fordrevne" | *tvangsforflyt*
mennesker | civile | familier | beboere + "forladt området" | forlod | "har forladt"
""",
        "lexicon_nb": """\
flykte | flyktet | flykter | flukt* | *flyktning*
fordrevne | fordrevet | fordrive* | fordrivelse* | evakuer* | "humanitær korridor"
"internt fordrevne" | *tvangsforflytt*
mennesker | sivile | familier | beboere + forlatt | forlot
""",
        "lexicon_en": """\
flee | fled | fleeing | flees | refugee | refugees | displaced | displacement | evacuat*
exodus | "humanitarian corridor" | "internally displaced" | idps
""",
    },
    {
        "slug": "detention",
        "name_da": "Tilbageholdelse og fængsling",
        "name_en": "Detention",
        "description": (
            "People held, captured, arrested, imprisoned or interned, surrendering into "
            "custody, prisons and detention camps."
        ),
        "lexicon_da": """\
tilbageholdt* | tilbageholdes* | tilbageholder* | tilbageholdelse*
fængsel | fængsler | *fængsl* | *fængsel* | anholdt | anholde* | anholdelse* | arrester*
"taget til fange" | "tages til fange" | tilfangetag* | krigsfange* | *fanger | *fangerne*
interner* | *interneringslejr* | varetægt* | "overgivet sig"
""",
        "lexicon_nb": """\
"tatt til fange" | "tas til fange" | "holdt fanget" | krigsfange* | *fanger | *fangene*
fangenskap*
fengsel | fengsler | *fengsle* | *fengsel* | arrest* | pågrepet | pågripe* | internert | interner*
*interneringsleir* | varetekt* | "overgitt seg" | "overga seg"
""",
        "lexicon_en": """\
detain* | detention | custody | imprison* | prison* | jail* | arrest* | intern | interned
internment | "taken prisoner" | "held captive" | "taken captive" | "captured fighters"
"captured militants" | "surrendered to"
""",
    },
    {
        "slug": "military-operations",
        "name_da": "Militære operationer og luftangreb",
        "name_en": "Military operations and airstrikes",
        "description": (
            "Offensives, battles, fighting, airstrikes, shelling, ground advances, ambushes "
            "and armed attacks by any party."
        ),
        "lexicon_da": """\
*offensiv* | *luftangreb* | *angreb* | bombning* | bombard* | bomber | bombet | *artilleri*
*kampe | kampene* | *kamphandling* | fremstød* | militæroperation* | *beskydning*
droneangreb* | raketangreb* | selvmordsbil* | bilbombe* | bagholdsangreb*
"rykket frem" | "rykker frem" | "militær operation" | "slaget om" | "sidste slag"
""",
        "lexicon_nb": """\
*offensiv* | *luftangrep* | *angrep* | bombing* | bombet | bomber | *artilleri* | luftstøtte
*kamper | *kampene* | *kamphandling* | fremmarsj* | framrykking | militæroperasjon*
*beskytning | selvmordsbil* | bilbombe* | nedkjemp* | erobret | gjenerobret | erobre
"rykket fram" | "rykket frem" | "rykker fram" | "rykker frem" | "slaget om" | "endelige slag"
kjemper | kjempet + styrker | krigere | *krigerne | soldater | fronter
operasjon* + militær* | soldat* | styrke* | kommandør* | offensiv*
drev | drevet | drive | tvinge | tvang | tvunget + *styrker | krigere | *milits* | hær | soldater
""",
        "lexicon_en": """\
offensive | airstrike* | "air strike" | "air raid" | bomb | bombard* | shelling | shelled
artillery | clash | fight | battle | ambush* | assault | attack | "ground offensive"
"drone strike" | "missile strike" | "rocket attack" | "suicide bomb*" | "car bomb*"
campaign + military | militia | troops | forces | coalition | clear
operation + military | troops | launched | ground | army
""",
    },
    {
        "slug": "landmines",
        "name_da": "Landminer og sprængstoffer",
        "name_en": "Landmines and explosives",
        "description": (
            "Landmines, improvised explosive devices, booby traps, mined areas, unexploded "
            "ordnance and explosive remnants of war. Not air-dropped bombs or car bombs."
        ),
        "lexicon_da": """\
*landmine* | minefelt* | minelagt* | *minerydning* | *minerydder*
vejsidebombe* | "improviseret sprængstof" | "improviserede sprængladninger" | ied
sprængladning* | "ueksploderet ammunition" | "ueksploderede" | *eksplosivrester* | booby*
""",
        "lexicon_nb": """\
*landmine* | minefelt* | minelagt* | *minerydding* | *mineryddere*
veibombe* | veikantbombe* | "improvisert eksplosiv" | "improviserte eksplosiver" | ied
sprengfelle* | sprengladning* | "udetonert ammunisjon" | "udetonerte" | blindgjenger*
"eksplosive krigsetterlevninger"
""",
        "lexicon_en": """\
landmine* | "land mine" | "land mines" | minefield* | demining | deminer* | "mine clearance"
mine | mines + explode* | exploded | blast | laid | planted | clear* | injur* | kill*
"improvised explosive" | ied | ieds | "roadside bomb" | "booby trap*" | "explosive device"
"unexploded ordnance" | uxo | "explosive remnants" | "cluster munition*"
""",
    },
    {
        "slug": "women-children",
        "name_da": "Kvinder og børn",
        "name_en": "Women and children",
        "description": (
            "Women and children as a group affected by the conflict: fleeing, in camps, "
            "killed, detained, families of fighters, child recruitment."
        ),
        "lexicon_da": """\
kvinde | kvinder | kvinderne | koner | hustru* | enker | mødre | piger | drenge
børn | børnene | *børn | mindreårig* | *barnesoldat* | spædbørn
""",
        "lexicon_nb": """\
kvinne | kvinner | kvinnene | koner | hustru* | enker | mødre | jenter | gutter
barn | barna | *barn | mindreårig* | *barnesoldat* | spedbarn
""",
        "lexicon_en": """\
woman | women | wives | widow* | mothers | girl | girls | boy | boys
child | children | infant* | babies | "child soldier" | "unaccompanied minor*"
""",
    },
]

SLUGS = [topic["slug"] for topic in TOPICS]


def create_topics(apps, schema_editor):
    Topic = apps.get_model("library", "Topic")
    for data in TOPICS:
        Topic.objects.update_or_create(slug=data["slug"], defaults=data)


def delete_topics(apps, schema_editor):
    """Delete these topics and their machine suggestions. A tag a person added, confirmed
    or rejected protects its topic: reversing then fails rather than lose the decision."""
    Topic = apps.get_model("library", "Topic")
    PassageTopic = apps.get_model("library", "PassageTopic")
    PassageTopic.objects.filter(
        topic__slug__in=SLUGS, origin="auto", state="suggested", decisions__isnull=True
    ).delete()
    Topic.objects.filter(slug__in=SLUGS).delete()


class Migration(migrations.Migration):
    dependencies = [("library", "0006_topics")]

    operations = [migrations.RunPython(create_topics, delete_topics)]
