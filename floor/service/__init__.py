"""The running service: the scan service, group commit and the runtime that wires devices, printers and the web app."""
