from django.urls import path

from cms import feeds

app_name = "cms"

# Inside i18n_patterns: /en/feeds/stories/rss/ lists English stories, /fr/feeds/stories/rss/ French ones.
urlpatterns = [
    path("stories/rss/", feeds.StoriesFeed(), name="stories_rss"),
    path("stories/atom/", feeds.StoriesAtomFeed(), name="stories_atom"),
]
