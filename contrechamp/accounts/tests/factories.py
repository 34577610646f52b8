import factory
from allauth.account.models import EmailAddress
from django.db import models

from contrechamp.accounts import code_of_conduct
from contrechamp.accounts.models import Skill, User


class _GetOrCreateFactory(factory.django.DjangoModelFactory):
    """Returns the existing row when its natural key is taken, like ``django_get_or_create``.

    factory-boy's own option looks rows up with ``.get()``, which django-zeal reports as
    an N+1 as soon as a test builds several rows on one line (``create_batch``).
    """

    class Meta:
        abstract = True

    _natural_key: str = ""

    @classmethod
    def _create(cls, model_class: type[models.Model], *args: object, **kwargs: object) -> object:
        lookup = {cls._natural_key: kwargs[cls._natural_key]}
        existing = model_class._default_manager.filter(**lookup).first()
        if existing is not None:
            return existing
        return super()._create(model_class, *args, **kwargs)


class SkillFactory(_GetOrCreateFactory):
    class Meta:
        model = Skill

    _natural_key = "slug"

    slug = factory.Sequence(lambda n: f"skill-{n}")
    name_fr = factory.LazyAttribute(lambda o: o.slug.replace("-", " "))
    name_en = factory.LazyAttribute(lambda o: o.slug.replace("-", " "))


class UserFactory(_GetOrCreateFactory):
    """A member who has confirmed their email, accepted the code of conduct and can sign in
    with password "motdepasse-1"."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    _natural_key = "username"

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    display_name = factory.LazyAttribute(lambda o: o.username.capitalize())
    password = factory.django.Password("motdepasse-1")
    code_of_conduct_version = code_of_conduct.CURRENT_VERSION

    @factory.post_generation
    def verified_email(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create and obj.email:
            addresses = EmailAddress.objects.filter(user=obj, email=obj.email)
            if not addresses.exists():
                EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
