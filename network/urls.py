from django.urls import include, path

from network.views import applications, area, community, directory, messaging, notifications, privacy, profiles

app_name = "network"

# Each domain keeps its routes in its own block; add new ones inside the right block.
# Under /<lang>/members/ (config/urls.py mounts this module at the language root).
member_urlpatterns = [
    # --- the members' area ---
    path("", area.members_area, name="members_area"),
    # --- profiles ---
    path("me/", profiles.my_profile, name="my_profile"),
    path("me/edit/", profiles.edit_profile, name="edit_profile"),
    path("<uuid:public_id>/", profiles.member_profile, name="member_profile"),
    path("<uuid:public_id>/photo/", profiles.member_photo, name="member_photo"),
    # --- applications ---
    path("membership/", applications.my_membership, name="my_membership"),
    path("membership/apply/", applications.apply, name="apply"),
    path("membership/apply/<slug:category>/", applications.apply_details, name="apply_details"),
    path("membership/application/update/", applications.update_application, name="update_application"),
    # --- directory and messages ---
    path("directory/", directory.directory, name="directory"),
    path("<uuid:public_id>/contact/", messaging.contact_member, name="contact_member"),
    path("messages/", messaging.inbox, name="inbox"),
    path("messages/<int:pk>/", messaging.message_detail, name="message_detail"),
    # --- community of practice ---
    path("community/", community.community_status, name="community_status"),
    path("community/home/", community.community_home, name="community_home"),
    path("community/requests/", community.community_requests, name="community_requests"),
    path("community/requests/<int:pk>/endorse/", community.endorse_request, name="endorse_community_request"),
    # --- privacy ---
    path("terms/", privacy.terms, name="terms"),
    path("me/privacy/", privacy.privacy_settings, name="privacy"),
    path("me/export/", privacy.export_data, name="export_data"),
    path("me/delete/", privacy.delete_account, name="delete_account"),
    # --- notifications ---
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.mark_all_read, name="mark_notifications_read"),
    path("notifications/emails/resume/", notifications.resume_emails, name="resume_notification_emails"),
    path("notifications/<int:pk>/open/", notifications.open_notification, name="open_notification"),
]

urlpatterns = [
    path("members/", include(member_urlpatterns)),
    # Outside /members/: the links of notification emails work without signing in.
    path("notifications/unsubscribe/<str:token>/", notifications.unsubscribe, name="notification_unsubscribe"),
]
