from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contrechamp.accounts.models import Skill, User
from contrechamp.core import uploads
from contrechamp.core.forms import CityField
from contrechamp.networks.models import Membership, Network
from contrechamp.projects import services
from contrechamp.projects.models import MAX_LINKS, MAX_PEOPLE_PER_CALL, Project, RoleCall


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A member named as people see them."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.public_name)


def _skills() -> Any:
    return Skill.objects.order_by("position", "slug")


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=services.TITLE_MAX)
    kind = forms.ChoiceField(label=_("Type"), choices=Project.Kind.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=services.DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    city = CityField(label=_("City"), required=False)
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput)
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices)
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=Project.Visibility.choices)
    network = forms.ModelChoiceField(
        label=_("Network (for “Members of one network”)"),
        queryset=Network.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, member: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["network"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = Network.objects.filter(
            memberships__user=member, memberships__status=Membership.Status.ACTIVE
        ).order_by("name")

    def details(self) -> services.ProjectDetails:
        data = self.cleaned_data
        place = data["city"]
        return services.ProjectDetails(
            title=data["title"],
            kind=data["kind"],
            description=data["description"],
            city=place.name if place is not None else "",
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            status=data["status"],
            visibility=data["visibility"],
            network=data["network"],
        )


class CallForm(forms.Form):
    kind = forms.ChoiceField(label=_("Role"), choices=RoleCall.Kind.choices)
    skill = forms.ModelChoiceField(
        label=_("Crew skill (for a crew role)"), queryset=Skill.objects.none(), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=services.TITLE_MAX)
    requirements = forms.CharField(
        label=_("Requirements"),
        max_length=services.REQUIREMENTS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    people_needed = forms.IntegerField(
        label=_("Number of people"), min_value=1, max_value=MAX_PEOPLE_PER_CALL, initial=1
    )
    starts_on = forms.DateField(label=_("First day"), widget=DateInput)
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput)
    deadline = forms.DateField(label=_("Apply before"), widget=DateInput)
    is_paid = forms.BooleanField(label=_("Paid"), required=False)
    pay_details = forms.CharField(
        label=_("Pay details"), max_length=services.PAY_MAX, required=False
    )
    city = CityField(
        label=_("City"), required=False, help_text=_("Leave empty: the project's city.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["skill"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = _skills()

    def details(self) -> services.CallDetails:
        data = self.cleaned_data
        place = data["city"]
        return services.CallDetails(
            kind=data["kind"],
            title=data["title"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            deadline=data["deadline"],
            skill=data["skill"],
            requirements=data["requirements"],
            people_needed=data["people_needed"],
            is_paid=data["is_paid"],
            pay_details=data["pay_details"],
            city=place.name if place is not None else "",
        )


class ApplicationForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=services.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    links = forms.CharField(
        label=_("Links (showreel, portfolio), one per line"),
        required=False,
        max_length=MAX_LINKS * (services.LINK_MAX + 2),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At most 5 web addresses starting with https://"),
    )

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]


class TeamMemberForm(forms.Form):
    username = forms.CharField(label=_("Member's username"), max_length=150)
    role = forms.CharField(label=_("Role"), max_length=services.ROLE_MAX, required=False)
    skill = forms.ModelChoiceField(label=_("Skill"), queryset=Skill.objects.none(), required=False)
    is_manager = forms.BooleanField(label=_("Manages the project"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["skill"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = _skills()

    def clean_username(self) -> User:
        name = self.cleaned_data["username"].strip()
        member = User.objects.filter(
            username__iexact=name, is_active=True, deleted_at__isnull=True
        ).first()
        if member is None:
            raise forms.ValidationError(_("No member has this username."))
        return member


class CallProfileForm(forms.Form):
    open_to_calls = forms.BooleanField(
        label=_("Open to role calls: projects may suggest me and invite me"), required=False
    )
    travel_km = forms.IntegerField(
        label=_("How far I can travel (km)"), min_value=1, max_value=1000, initial=50
    )


class AvailabilityForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("To"), widget=DateInput)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class DayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    address = forms.CharField(
        label=_("Place or address"), max_length=services.ADDRESS_MAX, required=False
    )
    general_call = forms.TimeField(label=_("General call time"), widget=TimeInput)
    wrap_at = forms.TimeField(label=_("Expected wrap"), required=False, widget=TimeInput)
    scenes = forms.CharField(
        label=_("Scenes to shoot, one per line"),
        max_length=services.SCENES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=services.NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def details(self) -> services.DayDetails:
        data = self.cleaned_data
        return services.DayDetails(
            date=data["date"],
            general_call=data["general_call"],
            address=data["address"],
            wrap_at=data["wrap_at"],
            scenes=data["scenes"],
            notes=data["notes"],
        )


class CallTimeForm(forms.Form):
    member = MemberChoiceField(label=_("Who"), queryset=User.objects.none())
    call_at = forms.TimeField(label=_("Call time"), widget=TimeInput)
    note = forms.CharField(label=_("Note"), max_length=services.CALL_NOTE_MAX, required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = User.objects.filter(project_roles__project=project).order_by(
            "display_name", "username"
        )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=services.TASK_MAX)
    assignee = MemberChoiceField(
        label=_("Assigned to"), queryset=User.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = User.objects.filter(project_roles__project=project).order_by(
            "display_name", "username"
        )


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("File (video, sound, document or image, at most 200 MB)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": uploads.accept_attribute(services.SHARED_FILE_TYPES)}
        ),
    )
