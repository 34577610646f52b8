"""What the site's one search finds among creative projects (see
`contrechamp.search.registry`): public projects, and a network's projects for that
network's members, by their title, city and the titles of their open role calls, so that
"ingénieur du son Marseille" finds the project calling for one. Team-only projects are
never indexed."""

from collections.abc import Iterable, Sequence

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contrechamp.projects.models import Project, RoleCall
from contrechamp.search import registry


def _findable() -> QuerySet[Project]:
    return Project.objects.exclude(visibility=Project.Visibility.TEAM)


def project_entries(ids: Sequence[int]) -> Iterable[registry.Entry]:
    open_calls = RoleCall.objects.filter(
        status=RoleCall.Status.OPEN, deadline__gte=timezone.localdate()
    ).only("pk", "project_id", "title")
    projects = (
        _findable()
        .filter(pk__in=ids)
        .prefetch_related(Prefetch("role_calls", queryset=open_calls, to_attr="open_calls"))
    )
    for project in projects:
        calls = [call.title for call in project.open_calls]
        facts = [project.get_kind_display(), project.city_name]
        if calls:
            facts.append(_("Open role calls: %(count)d") % {"count": len(calls)})
        yield registry.Entry(
            object_id=project.pk,
            title=project.title,
            url=project.get_absolute_url(),
            words=[project.title, project.city_name, *calls, project.description[:500]],
            text=" · ".join(fact for fact in facts if fact),
            category=project.kind,
            is_public=project.visibility == Project.Visibility.PUBLIC,
            network_id=project.network_id,
        )


def register_search() -> None:
    registry.register(
        registry.Provider(
            kind="projects",
            label=gettext_lazy("Creative projects"),
            position=75,
            entries=project_entries,
            all_ids=lambda: _findable().values_list("pk", flat=True),
            categories=dict(Project.Kind.choices),
        )
    )
