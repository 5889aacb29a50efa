"""Public campaign pages, mounted at /<language>/campaigns/ (config/urls.py)."""

from django.urls import path

from network.views import campaigns

app_name = "campaigns"

urlpatterns = [
    path("", campaigns.campaign_list, name="campaign_list"),
    path("<slug:slug>/", campaigns.campaign_detail, name="campaign_detail"),
    path("<slug:slug>/contributors/", campaigns.campaign_contributors, name="campaign_contributors"),
    path(
        "<slug:slug>/contributors/<int:contributor_id>/nominate/",
        campaigns.nominate_contributor,
        name="nominate_contributor",
    ),
    path("<slug:slug>/targets/<int:target_id>/", campaigns.target_detail, name="target_detail"),
    path("<slug:slug>/targets/<int:target_id>/history.csv", campaigns.target_history_csv, name="target_history_csv"),
]
