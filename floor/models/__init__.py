"""SQLAlchemy 2.0 typed models: every table of floor, one module per area."""
from floor.models.base import Base, UTCDateTime, utcnow
from floor.models.master import Location, MetaValue, Part, PartBarcode, User, Tag
from floor.models.ledger import StockLevel, StockMove
from floor.models.scans import ScanEvent, StationSession
from floor.models.workorders import Core, WorkOrder, WorkOrderStatusChange
from floor.models.counts import CountLine, CountLocation, CountSession
from floor.models.printing import PrintJob
from floor.models.alerts import StockAlert, StockAlertEvent
from floor.models.receiving import Delivery, DeliveryLine, DeliveryReceipt
from floor.models.returns import CustomerReturn, ReturnStep, SupplierReturn, SupplierReturnLine
from floor.models.audit import AuditEntry

__all__ = [
    "Base", "UTCDateTime", "utcnow",
    "Location", "MetaValue", "Part", "PartBarcode", "User", "Tag",
    "StockLevel", "StockMove",
    "ScanEvent", "StationSession",
    "Core", "WorkOrder", "WorkOrderStatusChange",
    "CountLine", "CountLocation", "CountSession",
    "PrintJob",
    "StockAlert", "StockAlertEvent",
    "Delivery", "DeliveryLine", "DeliveryReceipt",
    "CustomerReturn", "ReturnStep", "SupplierReturn", "SupplierReturnLine",
    "AuditEntry",
]
