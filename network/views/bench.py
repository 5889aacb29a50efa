"""Views for the HTTP benchmark only, routed when settings.BENCH_VIEWS is on (tests/bench/http_bench.py sets
it; a deployment never does)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@login_required
@never_cache
def signed_in(request):
    """The ceiling of any signed-in page: the session and the signed-in user are read, nothing else."""
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")
