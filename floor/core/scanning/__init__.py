"""Scan sessions: each station's state and what every scanned code does to it (SPEC section 3)."""
