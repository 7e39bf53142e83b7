"""Screenings per second of the pure rules engine on one core (a benchmark,
not a test: it prints figures and compares them with the target)."""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand

from screening import defaults
from screening.rules import screen

TARGET_PER_SECOND = 20_000


class Command(BaseCommand):
    help = "Measure the rules engine alone with the default rules."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=20_000)

    def handle(self, *args, rounds: int, **options):
        day = date(2027, 1, 15)
        cases = {
            "clean (eligible)": defaults.baseline_answers(day),
            "two flags (review + defer)": {**defaults.baseline_answers(day), "metal_allergy": True,
                                           "retinoid_last_used": day - timedelta(days=2)},
        }
        for name, answers in cases.items():
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                for _ in range(rounds):
                    screen(answers, rules=defaults.RULES, questions=defaults.QUESTIONS, treatment="face", on_date=day)
                best = min(best, time.perf_counter() - start)
            rate = rounds / best
            verdict = "meets" if rate >= TARGET_PER_SECOND else "MISSES"
            self.stdout.write(f"{name:<28} {rate:>10,.0f} screenings/s  ({verdict} the {TARGET_PER_SECOND:,}/s target)")
