from django.utils.functional import SimpleLazyObject

from network import notifications, permissions, queries


def capabilities(request):
    # Lazy: pages that never ask pay no query. The first question loads what every permission check of the
    # request needs in one query (permissions.load_viewer), which also counts her unread messages and
    # notifications for the header.
    def unread_messages() -> int:
        return queries.count_unread_messages(permissions.get_member(request.user))

    def unread_notifications() -> int:
        return notifications.unread_notification_count(request.user)

    return {
        "can": SimpleLazyObject(lambda: permissions.capabilities(request.user)),
        "unread_messages": SimpleLazyObject(unread_messages),
        "unread_notifications": SimpleLazyObject(unread_notifications),
        # The account menu's badge: everything waiting for her (both counts are kept on the user and member).
        "unread_total": SimpleLazyObject(lambda: unread_messages() + unread_notifications()),
    }
