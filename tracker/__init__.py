"""Compute Deal Tracker: every figure behind AI compute deals, with its source."""
__version__ = "0.1.0"
