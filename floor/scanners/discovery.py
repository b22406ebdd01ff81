"""Attached scanners, RFID readers and label printers, found through udev by USB vendor."""

from __future__ import annotations

from dataclasses import dataclass

# USB vendor IDs of the makers floor's udev rules know (see udev/70-floor-devices.rules).
VENDORS: dict[str, tuple[str, str]] = {
    "0c2e": ("Honeywell (Metrologic)", "scanner"),
    "05e0": ("Zebra (Symbol)", "scanner"),
    "05f9": ("Datalogic", "scanner"),
    "1eab": ("Newland", "scanner"),
    "0a5f": ("Zebra", "label-printer"),
    "0403": ("FTDI (RFID reader or serial adapter)", "rfid-reader"),
    "10c4": ("Silicon Labs CP210x (RFID reader or serial adapter)", "rfid-reader"),
}
SUBSYSTEMS = ("tty", "input", "usbmisc", "hidraw")


@dataclass(frozen=True)
class AttachedDevice:
    """A device node udev knows, with the maker and what floor would use it as."""

    node: str
    subsystem: str
    vendor_id: str
    product_id: str
    vendor: str
    model: str
    serial: str
    role: str
    links: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """Plain JSON values."""
        return {
            "node": self.node,
            "subsystem": self.subsystem,
            "vendor_id": self.vendor_id,
            "product_id": self.product_id,
            "vendor": self.vendor,
            "model": self.model,
            "serial": self.serial,
            "role": self.role,
            "links": list(self.links),
        }


def attached_devices(all_usb: bool = False) -> list[AttachedDevice]:
    """Device nodes of known vendors (or every USB one with `all_usb`); [] where udev is absent."""
    try:
        import pyudev

        context = pyudev.Context()
    except (ImportError, OSError):
        return []
    found: list[AttachedDevice] = []
    for subsystem in SUBSYSTEMS:
        for dev in context.list_devices(subsystem=subsystem):
            props = dev.properties
            vid = str(props.get("ID_VENDOR_ID", "")).lower()
            if not dev.device_node or not vid or (vid not in VENDORS and not all_usb):
                continue
            if subsystem == "input" and props.get("ID_INPUT_KEYBOARD") != "1":
                continue  # a scanner's keyboard interface, not its mouse or consumer-key siblings
            vendor, role = VENDORS.get(vid, (str(props.get("ID_VENDOR", vid)), "unknown"))
            if subsystem == "input" and role == "scanner":
                role = "hid-scanner"
            elif subsystem == "tty" and role == "scanner":
                role = "serial-scanner"
            found.append(
                AttachedDevice(
                    node=dev.device_node,
                    subsystem=subsystem,
                    vendor_id=vid,
                    product_id=str(props.get("ID_MODEL_ID", "")).lower(),
                    vendor=vendor,
                    model=str(props.get("ID_MODEL", "")),
                    serial=str(props.get("ID_SERIAL_SHORT", "")),
                    role=role,
                    links=tuple(sorted(str(link) for link in dev.device_links)),
                )
            )
    return found
