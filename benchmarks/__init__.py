"""Benchmarks for the Partnership Register: `make bench` runs `python -m benchmarks.run`.

See benchmarks/run.py for what is measured and the targets.
"""
