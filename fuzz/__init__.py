"""Fuzzing the readers and the report mapper: seed corpus, mutators, worker pool, campaigns.

Run on demand with ``python fuzz/run.py`` (see fuzz/README.md); CI runs a small campaign in
``tests/fuzz/test_fuzz_smoke.py`` and the hypothesis properties in ``tests/fuzz/``.
"""
