from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    """A kind page instead of Django's technical CSRF message."""
    return render(request, "403_csrf.html", status=403)
