"""factory_boy factories. Bilag made here skip ingestion; tests of ingestion use the service."""

import datetime as dt
import hashlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from library.ingest.passages import split_passages
from library.models import Bilag, Passage, Publisher, SearchOutbox
from library.roles import CASEWORKERS, LIBRARY_ADMINS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class CaseworkerFactory(UserFactory):
    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=CASEWORKERS))


class LibraryAdminFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=LIBRARY_ADMINS))


class PublisherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publisher
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Publisher {n}")


class BilagFactory(factory.django.DjangoModelFactory):
    """A bilag with passages split from `full_text` (two paragraphs by default)."""

    class Meta:
        model = Bilag
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: 1000 + n)
    country = "SY"
    publisher = factory.SubFactory(PublisherFactory)
    title = factory.Sequence(lambda n: f"Report {n}")
    published = dt.date(2019, 2, 1)
    published_precision = Bilag.Precision.MONTH
    intake = dt.date(2019, 3, 1)
    language = "en"
    kind = Bilag.Kind.TXT
    original_name = factory.LazyAttribute(lambda o: f"bilag-{o.number}.txt")
    full_text = "Civilians fled the camp.\n\nThe fighting went on for days."
    sha256 = factory.LazyAttribute(
        lambda o: hashlib.sha256(o.full_text.encode() + str(o.number).encode()).hexdigest()
    )
    original = factory.LazyAttribute(
        lambda o: ContentFile(o.full_text.encode(), name=o.original_name)
    )

    @factory.post_generation
    def passages(self, create, extracted, **kwargs):
        if not create:
            return
        Passage.objects.bulk_create(
            Passage(
                bilag=self,
                ordinal=d.ordinal,
                text=d.text,
                start=d.start,
                end=d.end,
                language=self.language,
                boilerplate=d.boilerplate,
                boilerplate_kind=d.boilerplate_kind,
                **self.passage_copies(),
            )
            for d in split_passages(self.full_text)
        )
        SearchOutbox.objects.queue_bilag([self.id])
