from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from dashboard.selectors import dashboard_summary


@login_required
def home(request):
    if not request.user.has_perm("dashboard.view"):
        raise PermissionDenied
    return render(
        request,
        "dashboard/home.html",
        {
            "summary": dashboard_summary(user=request.user, today=timezone.localdate()),
        },
    )


def healthz(request):
    """Liveness and database reachability, for the reverse proxy and the orchestrator."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
