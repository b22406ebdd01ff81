"""floor: barcode/RFID-driven parts store and workshop-floor system."""

__version__ = "0.1.0"
