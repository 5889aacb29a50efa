from django.urls import path

from search import views

app_name = "search"

# Inside i18n_patterns: /en/search/ searches English pages, /fr/search/ French ones.
urlpatterns = [
    path("", views.site_search, name="site_search"),
]
