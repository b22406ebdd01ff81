"""Receiving against expected deliveries: import, scans at the dock, report, close."""
