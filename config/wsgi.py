import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# What start-up loaded (Django, Wagtail and our modules: some 200,000 objects) lives as long as the worker.
# Frozen, it is left out of the garbage collector's full collections, which otherwise walk all of it and stall
# a request for over 100 ms every few dozen requests on a 2-CPU host.
gc.freeze()
