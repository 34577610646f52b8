import factory
from allauth.account.models import EmailAddress

from contrechamp.accounts.models import Skill, User


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"skill-{n}")
    name_fr = factory.LazyAttribute(lambda o: o.slug.replace("-", " "))
    name_en = factory.LazyAttribute(lambda o: o.slug.replace("-", " "))


class UserFactory(factory.django.DjangoModelFactory):
    """A member who has confirmed their email and can sign in with password "motdepasse-1"."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    display_name = factory.LazyAttribute(lambda o: o.username.capitalize())
    password = factory.django.Password("motdepasse-1")

    @factory.post_generation
    def verified_email(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )
