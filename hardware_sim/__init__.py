"""Simulated scanners, RFID readers, label printers and cameras on ptys and pyserial URLs."""
