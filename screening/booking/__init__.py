"""Booking: free times, provisional holds and appointments, gated by screening.

Writes are in ``services``, reads in ``selectors``; ``slots`` is the pure
availability computation.
"""
