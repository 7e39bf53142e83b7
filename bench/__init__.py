"""`make bench`: the benchmark harness (run), its floor view (floor), load process (loadgen),
prepared requests (fixtures), in-process figures (inprocess) and seed_scale's data (seed).

See docs/performance.md."""
