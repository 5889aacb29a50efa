from django.utils.functional import SimpleLazyObject

from network import permissions


def capabilities(request):
    # Lazy: pages that never ask pay no query.
    return {"can": SimpleLazyObject(lambda: permissions.capabilities(request.user))}
