"""End-to-end tests: the real CLI against the loopback world (see world.py)."""
