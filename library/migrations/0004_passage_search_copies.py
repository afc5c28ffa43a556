"""Passages carry copies of their bilag's country, publisher, dates and withdrawal, so
search filters, facets and date sorting read one table (see Passage)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_from_bilag(apps, schema_editor):
    Bilag = apps.get_model("library", "Bilag")
    Passage = apps.get_model("library", "Passage")
    own = Bilag.objects.filter(pk=OuterRef("bilag_id"))
    Passage.objects.update(
        country=Subquery(own.values("country")[:1]),
        publisher_id=Subquery(own.values("publisher_id")[:1]),
        published=Subquery(own.values("published")[:1]),
        intake=Subquery(own.values("intake")[:1]),
    )
    Passage.objects.filter(bilag__status="withdrawn").update(withdrawn=True)


class Migration(migrations.Migration):
    dependencies = [("library", "0003_search_index")]

    operations = [
        migrations.AddField(
            model_name="passage",
            name="country",
            field=models.CharField(
                editable=False, max_length=2, null=True, verbose_name="country"
            ),
        ),
        migrations.AddField(
            model_name="passage",
            name="publisher",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="library.publisher",
            ),
        ),
        migrations.AddField(
            model_name="passage",
            name="published",
            field=models.DateField(editable=False, null=True, verbose_name="published"),
        ),
        migrations.AddField(
            model_name="passage",
            name="intake",
            field=models.DateField(editable=False, null=True, verbose_name="intake date"),
        ),
        migrations.AddField(
            model_name="passage",
            name="withdrawn",
            field=models.BooleanField(default=False, editable=False, verbose_name="withdrawn"),
        ),
        migrations.RunPython(copy_from_bilag, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="passage",
            name="country",
            field=models.CharField(editable=False, max_length=2, verbose_name="country"),
        ),
        migrations.AlterField(
            model_name="passage",
            name="published",
            field=models.DateField(editable=False, verbose_name="published"),
        ),
        migrations.AlterField(
            model_name="passage",
            name="intake",
            field=models.DateField(editable=False, verbose_name="intake date"),
        ),
        migrations.AddIndex(
            model_name="passage",
            index=models.Index(fields=["country", "published"], name="passage_country_published"),
        ),
        migrations.AddIndex(
            model_name="passage",
            index=models.Index(fields=["published"], name="passage_published"),
        ),
        migrations.AddIndex(
            model_name="passage",
            index=models.Index(fields=["intake"], name="passage_intake"),
        ),
    ]
