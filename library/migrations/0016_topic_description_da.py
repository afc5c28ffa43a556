"""Topic descriptions in Danish as well as English (the existing field is the English one),
and the Danish descriptions of the topics 0007 created.

Written out here, like 0007's data; an admin's own Danish description is never
overwritten, and reversing clears only the descriptions this migration wrote.
"""

from django.db import migrations, models

DANISH = {
    "refugee-camps": (
        "Lejre for flygtninge og internt fordrevne (al-Hol, Roj, Rukban) og forholdene i "
        "dem. Ikke militær- eller træningslejre og ikke en politisk lejr."
    ),
    "foreign-fighters": (
        "Krigere fra udlandet i væbnede grupper: deres antal, statsborgerskab, hjemrejse, "
        "hjemtagelse og retsforfølgelse. Ikke lokale krigere og ikke fremmede hære."
    ),
    "civilian-casualties": (
        "Civile dræbt eller såret, civile dødstal (hævdede eller benægtede) og direkte fare "
        "for civiles liv under kampe. Ikke dræbte krigere."
    ),
    "displacement": (
        "Mennesker, der flygter, evakueres, fordrives eller forlader et område; humanitære "
        "korridorer; fordrevne, der ankommer."
    ),
    "detention": (
        "Mennesker, der tilbageholdes, tages til fange, anholdes, fængsles eller interneres "
        "eller overgiver sig og kommer i varetægt; fængsler og interneringslejre."
    ),
    "military-operations": (
        "Offensiver, slag, kampe, luftangreb, beskydning, fremrykning på landjorden, "
        "baghold og væbnede angreb fra enhver part."
    ),
    "landmines": (
        "Landminer, improviserede sprængladninger, fælder, minelagte områder, ueksploderet "
        "ammunition og eksplosive efterladenskaber fra krig. Ikke bomber kastet fra luften "
        "og ikke bilbomber."
    ),
    "women-children": (
        "Kvinder og børn som en gruppe ramt af konflikten: på flugt, i lejre, dræbt, "
        "tilbageholdt, krigeres familier og rekruttering af børn."
    ),
}


def describe_in_danish(apps, schema_editor):
    Topic = apps.get_model("library", "Topic")
    for topic in Topic.objects.filter(slug__in=DANISH, description_da=""):
        topic.description_da = DANISH[topic.slug]
        topic.save(update_fields=["description_da"])


def forget_danish(apps, schema_editor):
    Topic = apps.get_model("library", "Topic")
    for slug, text in DANISH.items():
        Topic.objects.filter(slug=slug, description_da=text).update(description_da="")


class Migration(migrations.Migration):
    dependencies = [("library", "0015_lexicons_every_language")]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="description_da",
            field=models.TextField(blank=True, verbose_name="Danish description"),
        ),
        migrations.AlterField(
            model_name="topic",
            name="description",
            field=models.TextField(
                blank=True,
                help_text="Also shown in Danish when the topic has no Danish description.",
                verbose_name="English description",
            ),
        ),
        migrations.RunPython(describe_in_danish, forget_danish),
    ]
