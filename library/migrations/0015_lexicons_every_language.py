"""Lexicons for Nynorsk, Swedish and German, context entries (~) and described foreign
fighters for every language (syntax: library.topics.lexicon).

Written out here, not imported, so the migration stays what it was. A lexicon an admin
has already written is never overwritten: the new Nynorsk, Swedish and German lexicons
fill only empty fields, and the lines added to the Danish, Norwegian and English
lexicons are appended once (behind the ADDED marker). Chosen on the development part
of bench/topic_eval only (`manage.py topic_quality --eval`).

Conventions, as in 0007: a word covers its inflections (stem); globs for compounds; a
word with a second sense only in an all-of line. Also:
- Swedish "läger" and German "Lager" share their stem with "läge"/"Lage" (situation),
  so they are written as globs (läger*, lägr*, lager*).
- Nynorsk passages also read the Bokmål lexicon: the Nynorsk one has only the forms
  that differ (leirane, drepne, framandkrigarar, born).
- A context entry (~) matches only a few passages after one the topic's other entries
  tagged in the same bilag: "lejren" after al-Hol was named, "de dømte" after the
  fighters were.
"""

from django.db import migrations

ADDED = "# Tilføjet 2026-12: kontekst (~) og beskrevne fremmedkrigere"

NEW = {
    "refugee-camps": {
        "lexicon_nn": """\
# Leirar for flyktningar og internt fordrivne (Bokmål-leksikonet gjeld òg).
*flyktningleir* | *flyktningeleir* | *flyktningleiren* | *flyktningleirane*
leir + flyktning* | flykta | flykte | flukt* | fordrivne | fordriven | unhcr | telt
~ leir | leirane | leirar | "i leiren"
~ bebuarar | bebuarane | innbyggjarane
""",
        "lexicon_sv": """\
# Läger för flyktingar och internflyktingar, och förhållandena i dem.
*flyktingläger* | *flyktinglägr* | *flyktingslägr* | *flyktingsläger*
*tältläger* | *tältlägr* | *transitläger* | *mottagningsläger* | *uppsamlingsläger*
läger* | lägr* + flykting* | flydde | flykt* | fördriv* | internflykting* | unhcr | tält
"al hol" | "al hawl" | "roj lägret" | rukban | zaatari | azraq | moria | kutupalong | dadaab
*lägerinvånare* | *lägerbo*
- "regimens läger" | "regeringens läger" | "oppositionens läger"
yarmouk | jarmuk | jabalia | shatila | "ain al hilweh" | "nahr al bared" | dheisheh
~ läger* | lägr*
~ invånare | invånarna | boende | flyktingarna
""",
        "lexicon_de": """\
# Lager für Flüchtlinge und Binnenvertriebene und die Zustände darin.
*flüchtlingslager* | *fluechtlingslager* | *flüchtlingscamp* | *vertriebenenlager*
*zeltlager* | *auffanglager* | *transitlager* | *aufnahmelager* | *zeltstadt*
lager* | camp + flüchtling* | geflohen* | flucht | vertrieben* | binnenvertrieben* | unhcr
"camp roj" | "lager roj" | rukban | zaatari | azraq | moria | kutupalong | dadaab | kakuma
"al hol" | "al haul" | "al hawl" + lager* | camp | frauen | kinder | familien | angehörige
*lagerbewohner* | *campbewohner*
yarmouk | jarmuk | jabalia | shatila | "ain al hilweh" | "nahr al bared" | dheisheh
~ lager* | camp | camps
~ bewohner | bewohnerinnen | insassen | "die flüchtlinge"
""",
        "add_da": """\
yarmouk | jarmuk | jabalia | shatila | "ain al hilweh" | "nahr al bared" | dheisheh
~ lejr | *lejren | *lejrene | "i lejren"
~ beboere | beboerne | indbyggerne | flygtningene | flygtningenes
""",
        "add_nb": """\
yarmouk | jarmuk | jabalia | shatila | "ain al hilweh" | "nahr al bared" | dheisheh
~ leir | *leiren | *leirene | "i leiren"
~ beboere | beboerne | innbyggerne | flyktningene | flyktningenes
""",
        "add_en": """\
yarmouk | jarmuk | jabalia | shatila | "ain al hilweh" | "nahr al bared" | dheisheh
~ camp | camps
~ residents | inhabitants | "the refugees"
""",
    },
    "foreign-fighters": {
        "lexicon_nn": """\
# Framandkrigarar (Bokmål-leksikonet gjeld òg).
*framandkrigar* | *framandkjempar* | "utanlandske krigarar" | "utanlandske jihadistar"
"reiste til syria" | "reist til syria" | "reiste til irak" | "slutta seg til is"
"frå utlandet" + krigarar | jihadistar | kjempe | slutta
jihadist* | *krigar* + utlending* | statsborgarskap* | heimreis* | heimhent*
~ dømd | dømde | sikta | tiltalt | heimreis* | statsborgarskap*
""",
        "lexicon_sv": """\
# Utländska stridande: krigare från utlandet i väpnade grupper, hemresa, medborgarskap.
*utlandskrigare* | "utländska stridande" | "utländska krigare" | "utländska jihadister"
"utländska terroriststridande" | "utländska is krigare" | "utländska kämpar"
"is resenär*" | *syrienresenär* | *terrorresenär* | *syrienkrigare*
"reste till syrien" | "rest till syrien" | "åkte till syrien" | "reste till irak"
"anslöt sig till is" | "anslöt sig till islamiska staten" | "anslutit sig till is"
jihadist* | *krigare | militant* + utlänning* | medborgarskap* | hemvänd* | repatri*
svenska | europeiska | västerländska + jihadist* | "is krigare" | "is anhängare"
*konfliktresenär* | "foreign fighters"
"från utlandet" | "från andra länder" | "från europa" | "från västeuropa" + anslöt | anslutit | stridande | krigare | *krigarna | strida
rest | reste + "för att strida" | "för att ansluta"
~ dömd | dömdes | åtal* | hemvänd* | medborgarskap* | repatri*
""",
        "lexicon_de": """\
# Ausländische Kämpfer: aus dem Ausland in bewaffneten Gruppen, Rückkehr, Staatsbürgerschaft.
"ausländische kämpfer" | "ausländischen kämpfer" | "ausländische terrorkämpfer"
"ausländischen terrorkämpfer" | "ausländische dschihadisten" | "ausländischen dschihadisten"
"ausländische jihadisten" | *auslandskämpfer* | *syrienkämpfer* | *syrienrückkehrer*
"is rückkehrer*" | "foreign fighters"
"nach syrien ausgereist" | "nach syrien gereist" | "in den irak ausgereist" | ausgereist*
"schlossen sich dem is an" | "dem is angeschlossen" | "dem islamischen staat angeschlossen"
dschihadist* | jihadist* | kämpfer* + ausländer* | staatsbürgerschaft | rückkehr* | rückhol*
deutsche | europäische | westliche + dschihadist* | jihadist* | "is kämpfer" | "is anhänger"
"aus dem ausland" + kämpfer | dschihadisten | angeschlossen
~ verurteilt | angeklagt | rückkehr* | rückhol* | staatsbürgerschaft
""",
        "add_da": """\
"tilsluttede sig islamisk stat" | "tilsluttet islamisk stat" | "sluttede sig til is"
"rejste til syrien for" | "udrejst til syrien" | "udrejste til syrien"
danske | europæiske | vestlige + jihadist* | "is krigere" | "is medlemmer" | syrienkrigere
"foreign fighters" | "fra udlandet" + krigere | kæmpere | jihadister | tilsluttede
~ dømt | dømte | sigtet | tiltalt | hjemvendt* | statsborgerskab*
""",
        "add_nb": """\
"sluttet seg til is" | "sluttet seg til den islamske staten" | "slutte seg til is"
norske | europeiske | vestlige + jihadist* | "is krigere" | "is medlemmer"
"foreign fighters" | "fra utlandet" + krigere | kjempere | jihadister
~ dømt | dømte | siktet | tiltalt | hjemvendt* | statsborgerskap*
""",
        "add_en": """\
"left for syria" | "went to syria" | "travel to syria" | "travelled to join" | "traveled to join"
"isis bride" | "isis brides" | "jihadi bride" | "jihadi brides" | "isis travellers"
british | danish | norwegian | swedish | german | french | belgian | dutch | european | australian + jihadist* | militants | terrorist | "isis members" | "is members" | "member of the islamic state" | "member of isis"
"to join" + isis | isil | daesh | "islamic state" | "al nusra" | "jabhat al nusra"
western + jihadist* | "isis members" | recruits
~ sentenced | convicted | prosecuted | prosecution | repatriated | repatriation | citizenship
""",
    },
    "civilian-casualties": {
        "add_da": """\
*massakre* + civile | mennesker | indbyggere | landsbyboere | mænd | kvinder | børn | drenge
""",
        "add_nb": """\
*massakre* + sivile | mennesker | innbyggere | landsbyboere | menn | kvinner | barn | gutter
""",
        "add_en": """\
beheading* | beheaded | executed | execution + journalist* | hostage* | "aid workers" | civilians
massacre* + civilians | villagers | residents | people | men | women | children | boys
""",
        "lexicon_nn": """\
# Sivile drepne eller skadde (Bokmål-leksikonet gjeld òg).
sivile | sivil | sivilbefolkning* + drepne | drepen | drept | omkom* | døydde | skadde | såra
menneske | personar | innbyggjarar | folk + drepne | drepen | omkom* | døydde
born | kvinner + drepne | drepen | omkom* | døydde
*massakre* + sivile | menneske | innbyggjarar | menn | kvinner | born | gutar
avretta + fangar | kvinner | sivile | menneske
""",
        "lexicon_sv": """\
# Civila dödade eller skadade; dödstal; fara för civilas liv. Inte dödade stridande.
civila | civil | civilbefolkning* + dödade | dödad | dödats | dödas | dog | döda | omkom*
civila | civil | civilbefolkning* + dödsfall | dödsoffer | massaker* | sårade | skadade | skadades
"civila offer" | "civila dödsoffer" | "civila förluster" | "civila liv"
människor | personer | invånare + dödade | dödats | omkom* | "miste livet" | "dödades"
barn | kvinnor + dödade | dödats | omkom* | "miste livet"
*massaker* | *massakern* + civila | människor | personer | invånare | bybor | män | kvinnor | barn | skolelever
arkebuser* | avrättade | avrättades + civila | personer | skolelever | gisslan | kvinnor | barn
- "civila kläder"
""",
        "lexicon_de": """\
# Zivilisten getötet oder verletzt; Todeszahlen; Gefahr für zivile Leben. Nicht getötete Kämpfer.
zivilist* | zivile | zivilen | zivilbevölkerung + getötet* | tötete* | starben | tote | toten
zivilist* | zivile | zivilen | zivilbevölkerung + "ums leben" | massaker | verletzt* | verwundet*
"zivile opfer" | "zivilen opfer" | "zivile tote" | "zivilen toten" | "zivile todesopfer"
menschen | personen | einwohner + getötet* | "ums leben" | starben | tote | todesopfer
kinder | frauen + getötet* | "ums leben" | starben
*massaker* + zivilisten | menschen | einwohner | dorfbewohner | männer | frauen | kinder
- "in zivil" | zivilkleidung
""",
    },
    "displacement": {
        "lexicon_nn": """\
flykta | flyktar | *flyktning* | fordrivne | fordriven | evakuer* | "internt fordrivne"
""",
        "lexicon_sv": """\
fly | flydde | flyr | flykt* | *flykting* | fördriv* | evakuer* | internflykting*
"humanitär korridor" | "på flykt"
""",
        "lexicon_de": """\
flucht | geflohen* | flohen | flüchtet* | *flüchtling* | vertrieben* | vertreibung*
binnenvertrieben* | evakuier* | "humanitärer korridor"
""",
    },
    "detention": {
        "lexicon_nn": """\
fengsla | fengsel | fangar | fangane | arrestert | internert | varetekt* | "teken til fange"
""",
        "lexicon_sv": """\
fängelse* | fängsla* | fånge | fångar | fångarna | gripen | gripna | greps | arrester*
internerad* | internering* | förvar | häkt* | "tagits till fånga" | "togs till fånga"
""",
        "lexicon_de": """\
gefängnis* | inhaftiert* | haft | festgenommen* | festnahme* | gefangen* | internier*
*internierungslager* | gewahrsam | verhaftet*
""",
    },
    "military-operations": {
        "lexicon_nn": """\
*offensiv* | *luftåtak* | *åtak* | bomba | bombing* | *kampar | *kampane* | "slaget om"
""",
        "lexicon_sv": """\
*offensiv* | *flyganfall* | *luftangrepp* | *angrepp* | bombning* | bombade | *artilleri*
strider | striderna | *stridighet* | "slaget om" | *beskjutning* | drönarattack* | bilbomb*
""",
        "lexicon_de": """\
*offensive* | *luftangriff* | *angriff* | bombardier* | bombe | bomben | *artillerie*
kämpfe | kämpfen | gefecht* | "schlacht um" | *beschuss* | drohnenangriff* | autobombe*
*militäroperation* | *bodenoffensive*
""",
    },
    "landmines": {
        "lexicon_nn": """\
*landmine* | minefelt* | *minerydding* | vegbombe* | sprengfelle* | "udetonert ammunisjon"
""",
        "lexicon_sv": """\
*landmin* | minfält* | *minröjning* | vägbomb* | "improviserade sprängladdningar"
"improviserad sprängladdning" | "odetonerad ammunition" | "oexploderad ammunition" | ied
""",
        "lexicon_de": """\
*landmine* | minenfeld* | *minenräum* | sprengfalle* | "improvisierte sprengsätze"
"improvisierter sprengsatz" | *blindgänger* | "explosive kriegsreste" | ied | streumunition
""",
    },
    "women-children": {
        "lexicon_nn": """\
kvinne | kvinner | kvinnene | koner | enker | mødrer | jenter | gutar | born | borna
""",
        "lexicon_sv": """\
kvinna | kvinnor | kvinnorna | fruar | hustru* | änkor | mödrar | flickor | pojkar
barn | barnen | *barn | minderårig* | *barnsoldat* | spädbarn
""",
        "lexicon_de": """\
frau | frauen | ehefrau* | witwe* | mütter | mädchen | jungen
kind | kinder | kindern | minderjährig* | *kindersoldat* | säugling*
""",
    },
}


def forwards(apps, schema_editor):
    Topic = apps.get_model("library", "Topic")
    for topic in Topic.objects.filter(slug__in=NEW):
        lexicons = NEW[topic.slug]
        for code in ("nn", "sv", "de"):
            field = f"lexicon_{code}"
            if not getattr(topic, field).strip() and field in lexicons:
                setattr(topic, field, lexicons[field])
        for code in ("da", "nb", "en"):
            field, added = f"lexicon_{code}", lexicons.get(f"add_{code}")
            current = getattr(topic, field)
            if added and ADDED not in current:
                setattr(topic, field, f"{current.rstrip()}\n{ADDED}\n{added}")
        topic.save()


def backwards(apps, schema_editor):
    Topic = apps.get_model("library", "Topic")
    for topic in Topic.objects.filter(slug__in=NEW):
        for code in ("da", "nb", "en"):
            field = f"lexicon_{code}"
            current = getattr(topic, field)
            if ADDED in current:
                setattr(topic, field, current.split(f"\n{ADDED}\n", 1)[0] + "\n")
        for code in ("nn", "sv", "de"):
            field = f"lexicon_{code}"
            if getattr(topic, field) == NEW[topic.slug].get(field):
                setattr(topic, field, "")
        topic.save()


class Migration(migrations.Migration):
    dependencies = [("library", "0014_topics_learning")]

    operations = [migrations.RunPython(forwards, backwards)]
