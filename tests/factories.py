"""factory_boy factories shared by the whole suite."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.roles import ensure_roles
from cms.models import OrganisationUnit, Principle, RightsArea, StaircaseStep, TargetGroup

DEFAULT_PASSWORD = "Testlösenord-för-MR-navet-1"


class OrganisationUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationUnit
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Förvaltning {n}")
    slug = factory.Sequence(lambda n: f"forvaltning-{n}")
    kind = OrganisationUnit.Kind.FORVALTNING


class RightsAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RightsArea
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Rättighetsområde {n}")
    slug = factory.Sequence(lambda n: f"omrade-{n}")


class PrincipleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Principle
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Princip {n}")
    slug = factory.Sequence(lambda n: f"princip-{n}")


class StaircaseStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaircaseStep
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Steg {n + 1}")
    slug = factory.LazyAttribute(lambda o: f"steg-{o.number}")


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Målgrupp {n}")
    slug = factory.Sequence(lambda n: f"malgrupp-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up user with a verified email address. `roles=[...]` adds groups."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"medarbetare{n}@malmo.se")
    display_name = factory.Sequence(lambda n: f"Medarbetare {n}")
    job_title = "Utredare"
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )
        if create:
            self.save()

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        ensure_roles()
        self.groups.add(*Group.objects.filter(name__in=list(extracted)))


class SuperuserFactory(UserFactory):
    email = factory.Sequence(lambda n: f"admin{n}@malmo.se")
    is_staff = True
    is_superuser = True


def enable_totp(user) -> None:
    """Give a user an activated TOTP authenticator (as if they had set up MFA)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
