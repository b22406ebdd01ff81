"""Simulated scanners, RFID readers, label printers and cameras on ptys and pyserial URLs.

Importing the package registers the `sim://<name>` pyserial URL scheme, so a simulator
created in this process as `ScannerSim("sim://scanner-1")` is opened by floor's readers
with `serial.serial_for_url("sim://scanner-1")`, like any other port.
"""

import serial

if "hardware_sim.urls" not in serial.protocol_handler_packages:
    serial.protocol_handler_packages.append("hardware_sim.urls")
