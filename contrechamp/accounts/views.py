from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from contrechamp.accounts.models import User


def profile(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User, username=username, is_active=True)
    return render(request, "accounts/profile.html", {"member": member})


@login_required
def settings(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"member": request.user})
