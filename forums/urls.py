from django.urls import path

from forums import views

app_name = "forums"

urlpatterns = [
    path("", views.forum_index, name="forum_index"),
    path("latest/", views.latest, name="latest"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("mentions/", views.mention_suggestions, name="mention_suggestions"),
    path("members/<uuid:public_id>/posts/", views.member_posts, name="member_posts"),
    path("members/<uuid:public_id>/suspend/", views.suspend_member, name="suspend_member"),
    # --- topics ---
    path("topics/<int:pk>/", views.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/unread/", views.topic_unread, name="topic_unread"),
    path("topics/<int:pk>/reply/", views.reply, name="reply"),
    path("topics/<int:pk>/draft/", views.autosave_draft, name="autosave_draft"),
    path("topics/<int:pk>/watch/", views.watch_topic, name="watch_topic"),
    path("topics/<int:pk>/moderate/", views.moderate_topic, name="moderate_topic"),
    # --- posts ---
    path("posts/<int:pk>/", views.post_link, name="post_link"),
    path("posts/<int:pk>/edit/", views.edit_post, name="edit_post"),
    path("posts/<int:pk>/delete/", views.delete_post, name="delete_post"),
    path("posts/<int:pk>/history/", views.post_history, name="post_history"),
    path("posts/<int:pk>/flag/", views.flag_post, name="flag_post"),
    path("posts/<int:pk>/helpful/", views.helpful, name="helpful"),
    path("posts/<int:pk>/accept/", views.accept_answer, name="accept_answer"),
    path("posts/<int:pk>/moderate/", views.moderate_post, name="moderate_post"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    # --- forums (last: a slug) ---
    path("<slug:slug>/", views.forum_detail, name="forum_detail"),
    path("<slug:slug>/new/", views.new_topic, name="new_topic"),
    path("<slug:slug>/follow/", views.forum_delivery, name="forum_delivery"),
]
