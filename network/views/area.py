"""The members' area ("My network"): what the signed-in person may use, and what is not open to her yet."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from network.members_area import render_members_area


@login_required
@never_cache
def members_area(request):
    return render(request, "network/members_area.html", {"body": render_members_area(request)})
