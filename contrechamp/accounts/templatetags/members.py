from django import template

from contrechamp.accounts import code_of_conduct

register = template.Library()


@register.filter
def must_accept_code_of_conduct(user: object) -> bool:
    """True for a signed-in member who has not accepted the current code of conduct."""
    return code_of_conduct.must_accept(user)
