"""Mentoring in the Wagtail admin: the programmes viewset (mentoring/viewsets.py), for coordinators."""

from wagtail import hooks

from mentoring.viewsets import programme_viewset


@hooks.register("register_admin_viewset")
def register_programme_admin():
    return programme_viewset
