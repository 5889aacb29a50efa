from django.utils.functional import SimpleLazyObject

from network import permissions, queries


def capabilities(request):
    # Lazy: pages that never ask pay no query. The first question loads what every permission check of the
    # request needs in one query (permissions.load_viewer); the unread count is the header's second.
    return {
        "can": SimpleLazyObject(lambda: permissions.capabilities(request.user)),
        "unread_messages": SimpleLazyObject(
            lambda: queries.count_unread_messages(permissions.get_member(request.user))
        ),
    }
