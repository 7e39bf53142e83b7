from django.apps import AppConfig


class BenchConfig(AppConfig):
    """`make bench`: installed only by bench.settings, never by the product."""

    name = "bench"
    verbose_name = "Benchmark"
