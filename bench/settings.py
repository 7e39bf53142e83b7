"""Settings for `make bench`: the product's settings, plus the benchmark app and its URLconf.

The floor view (bench/floor.py) is mounted by bench/urls.py only, so the
product never serves it; `manage.py bench`, `seed_scale` and `bench_engine`
exist only under these settings (DJANGO_SETTINGS_MODULE=bench.settings).
"""

from clinic.settings import *  # noqa: F403
from clinic.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
