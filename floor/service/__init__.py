"""The running service: the runtime that puts the web app, the device readers and the print workers together."""
