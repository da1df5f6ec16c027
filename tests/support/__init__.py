"""Helpers the tests reach only through conftest.py's fixtures (`serve`, `bounded`), never by importing a test module.

The benchmark (tests/benchmarks/bench.py) is a script, not a test, so it imports `support.serve_clients` itself.
"""
