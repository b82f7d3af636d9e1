"""The benchmark harness: ``python -m bench`` (or ``scripts/bench.sh``) prints figures and ratios.

Every figure is measured beside a baseline in the same run, on the same machine, so the ratio
means something on a shared, noisy computer. Nothing here runs in the test suite or fails CI.
"""
