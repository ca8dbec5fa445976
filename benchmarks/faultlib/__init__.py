"""The pieces of benchmarks/corpus_faults.py: replies, the world, the fault scenarios, the clients.

Import only with `tests/` on sys.path (the loopback peers live there); corpus_faults.py sets it.
"""
