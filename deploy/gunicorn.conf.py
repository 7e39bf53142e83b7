"""gunicorn's settings for production (deploy/Procfile) and `make bench`.

    gunicorn clinic.wsgi -c deploy/gunicorn.conf.py

The access log goes through the same redaction as Django's own logs
(screening.core.log_filters): a patient's link token in a path, and a staff
search (a name or an email) in a query string, are written as [redacted].
A reverse proxy in front must do the same with its own log (docs/deploy.md).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# "off" drops the access log (`make bench`, which would otherwise print every request it makes).
access_log = os.environ.get("GUNICORN_ACCESS_LOG", "on") != "off"
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = 30
accesslog = "-"
errorlog = "-"

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "screening.core.log_filters.RedactTokensFilter"}},
    "formatters": {"plain": {"format": "%(message)s"}},
    "handlers": {
        "access": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "filters": ["redact"],
                   "formatter": "plain"},
        "error": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "filters": ["redact"]},
    },
    "root": {"level": "INFO", "handlers": ["error"]},
    "loggers": {
        "gunicorn.access": {"handlers": ["access"] if access_log else [], "level": "INFO" if access_log else "ERROR",
                            "propagate": False},
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
    },
}
