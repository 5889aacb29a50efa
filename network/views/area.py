"""The members' area ("My network"): what the signed-in person may use, and what is not open to her yet."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from network.members_area import members_area_sections


@login_required
@never_cache
def members_area(request):
    sections = members_area_sections(request)
    return render(
        request,
        "network/members_area.html",
        {
            "sections": [section for section in sections if not section.unavailable],
            "unavailable": [section for section in sections if section.unavailable],
        },
    )
