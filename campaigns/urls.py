"""Public campaign pages at /<language>/campaigns/, and a member's advocacy log at
/<language>/members/advocacy/ (both mounted in config/urls.py)."""

from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("<slug:slug>/", views.campaign_detail, name="campaign_detail"),
    path("<slug:slug>/contributors/", views.campaign_contributors, name="campaign_contributors"),
    path(
        "<slug:slug>/contributors/<int:contributor_id>/nominate/",
        views.nominate_contributor,
        name="nominate_contributor",
    ),
    path("<slug:slug>/targets/<int:target_id>/", views.target_detail, name="target_detail"),
    path("<slug:slug>/targets/<int:target_id>/history.csv", views.target_history_csv, name="target_history_csv"),
]

advocacy_urlpatterns = [
    path("", views.advocacy_actions, name="advocacy_actions"),
    path("<int:pk>/edit/", views.edit_advocacy_action, name="edit_advocacy_action"),
    path("<int:pk>/delete/", views.delete_advocacy_action, name="delete_advocacy_action"),
]
