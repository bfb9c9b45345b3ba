import datetime as dt

import factory

from accounts.models import User
from projects import services
from projects.models import Organisation

PASSWORD = "reorg-test"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruker{n}")
    first_name = factory.Faker("first_name", locale="no_NO")
    last_name = factory.Faker("last_name", locale="no_NO")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.no")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            for organisation in extracted:
                organisation.members.add(self)
        self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testkommune {n}")
    org_number = factory.Sequence(lambda n: f"{900000000 + n}")


def make_project(*, organisation, owner, leader, by=None, **fields):
    """A project made the way the product makes one: through the service."""
    defaults = {
        "name": "Omstilling av administrasjonen",
        "code": f"P{Organisation.objects.count()}-{organisation.projects.count() + 1}",
        "start_date": dt.date(2026, 1, 5),
        "last_delivery_date": dt.date(2026, 12, 1),
    }
    defaults.update(fields)
    return services.create_project(
        organisation=organisation, owner=owner, leader=leader, by=by or leader, **defaults
    )
