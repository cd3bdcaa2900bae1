"""/healthz: a bare JSON answer for load balancers and deployment checks (no login, no database query, no
data). Also the baseline of bench/bench_events.py: the cheapest view the same server can serve."""
from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})
