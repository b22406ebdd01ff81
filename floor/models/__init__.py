"""SQLAlchemy 2.0 typed models: every table of floor, one module per area."""

from floor.models.alerts import StockAlert, StockAlertEvent
from floor.models.audit import AuditEntry
from floor.models.base import Base, UTCDateTime, utcnow
from floor.models.counts import CountLine, CountLocation, CountSession
from floor.models.kiosk import KioskEnrolment
from floor.models.ledger import StockLevel, StockMove
from floor.models.master import Location, MetaValue, Part, PartBarcode, Tag, User
from floor.models.printing import PrintJob
from floor.models.receiving import Delivery, DeliveryLine, DeliveryReceipt
from floor.models.reports import MonthEnd
from floor.models.reservations import Reservation, ReservedTotal
from floor.models.returns import CustomerReturn, ReturnStep, SupplierReturn, SupplierReturnLine
from floor.models.scans import ScanEvent, StationSession
from floor.models.workorders import Core, WorkOrder, WorkOrderStatusChange

__all__ = [
    "AuditEntry",
    "Base",
    "Core",
    "CountLine",
    "CountLocation",
    "CountSession",
    "CustomerReturn",
    "Delivery",
    "DeliveryLine",
    "DeliveryReceipt",
    "KioskEnrolment",
    "Location",
    "MetaValue",
    "MonthEnd",
    "Part",
    "PartBarcode",
    "PrintJob",
    "Reservation",
    "ReservedTotal",
    "ReturnStep",
    "ScanEvent",
    "StationSession",
    "StockAlert",
    "StockAlertEvent",
    "StockLevel",
    "StockMove",
    "SupplierReturn",
    "SupplierReturnLine",
    "Tag",
    "UTCDateTime",
    "User",
    "WorkOrder",
    "WorkOrderStatusChange",
    "utcnow",
]
