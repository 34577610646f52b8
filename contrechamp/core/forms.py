from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from contrechamp.core import places


class FormRenderer(TemplatesSetting):
    """Every form renders with the design system's field and form templates."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


class CityField(forms.CharField):
    """A city name resolved through the offline gazetteer; cleans to a `places.Place`.

    An unknown name is refused with suggestions ("did you mean…"), never an error page.
    """

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        # While typing, htmx fills the page's <datalist id="city-suggestions"> with known
        # places; without JavaScript an unknown name comes back with suggestions instead.
        attrs |= {
            "autocomplete": "address-level2",
            "list": "city-suggestions",
            "hx-get": reverse_lazy("city_suggestions"),  # lazy: fields exist before URLs
            "hx-trigger": "input changed delay:300ms",
            "hx-target": "#city-suggestions",
            "hx-swap": "innerHTML",
        }
        return attrs

    def clean(self, value: object) -> places.Place | None:
        name = super().clean(value)
        if not name:
            return None
        place = places.find_city(name)
        if place is None:
            suggestions = ", ".join(p.label for p in places.suggest_cities(name))
            if suggestions:
                message = _("We do not know the city “%(name)s”. Did you mean: %(suggestions)s?")
            else:
                message = _("We do not know the city “%(name)s”. Check the spelling.")
            raise ValidationError(
                message, code="unknown_city", params={"name": name, "suggestions": suggestions}
            )
        return place
