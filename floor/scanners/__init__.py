"""Device adapters: serial/HID scanners, RFID readers, cameras, the gateway; each delivers to a ScanSink."""
