"""SQLAlchemy 2.0 typed models: every table of floor, one module per area."""

from floor.models.aftersales import Comeback, Complaint, ComplaintStep, Followup, FollowupCall
from floor.models.alerts import StockAlert, StockAlertEvent
from floor.models.appointments import Appointment
from floor.models.audit import AuditEntry
from floor.models.base import Base, UTCDateTime
from floor.models.billing import (
    ClaimLine,
    CreditNote,
    GateRelease,
    Invoice,
    InvoiceDiscount,
    InvoiceLine,
    NumberCounter,
    Payment,
)
from floor.models.counts import CountLine, CountLocation, CountSession
from floor.models.imports import ImportJournal, ImportRun
from floor.models.kiosk import KioskEnrolment
from floor.models.ledger import StockLevel, StockMove, StockoutSpan, StockValueHour, StoreStock
from floor.models.master import Location, MetaValue, Part, PartBarcode, Tag, User
from floor.models.printing import PrintJob
from floor.models.receiving import Delivery, DeliveryLine, DeliveryReceipt
from floor.models.reception import JobSignature, KeyMove, QcResult
from floor.models.repair import (
    ClockRecord,
    Concern,
    LabourOperation,
    LinePart,
    RepairDecision,
    RepairDecisionLine,
    RepairLine,
)
from floor.models.reports import MonthEnd
from floor.models.requests import DemandNotice, PartRequest, RequestClosure, RequestIssue
from floor.models.reservations import Reservation, ReservedTotal
from floor.models.returns import CustomerReturn, ReturnStep, SupplierReturn, SupplierReturnLine
from floor.models.sales import ClaimCore, Customer, Sale, SaleCoreCharge, SaleLine, SalePick, WarrantyClaim
from floor.models.scans import ScanEvent, StationSession
from floor.models.vehicles import Vehicle
from floor.models.workorders import Core, WorkOrder, WorkOrderStatusChange

__all__ = [
    "Appointment",
    "AuditEntry",
    "Base",
    "ClaimCore",
    "ClaimLine",
    "ClockRecord",
    "Comeback",
    "Complaint",
    "ComplaintStep",
    "Concern",
    "Core",
    "CountLine",
    "CountLocation",
    "CountSession",
    "CreditNote",
    "Customer",
    "CustomerReturn",
    "Delivery",
    "DeliveryLine",
    "DeliveryReceipt",
    "DemandNotice",
    "Followup",
    "FollowupCall",
    "GateRelease",
    "ImportJournal",
    "ImportRun",
    "Invoice",
    "InvoiceDiscount",
    "InvoiceLine",
    "JobSignature",
    "KeyMove",
    "KioskEnrolment",
    "LabourOperation",
    "LinePart",
    "Location",
    "MetaValue",
    "MonthEnd",
    "NumberCounter",
    "Part",
    "PartBarcode",
    "PartRequest",
    "Payment",
    "PrintJob",
    "QcResult",
    "RepairDecision",
    "RepairDecisionLine",
    "RepairLine",
    "RequestClosure",
    "RequestIssue",
    "Reservation",
    "ReservedTotal",
    "ReturnStep",
    "Sale",
    "SaleCoreCharge",
    "SaleLine",
    "SalePick",
    "ScanEvent",
    "StationSession",
    "StockAlert",
    "StockAlertEvent",
    "StockLevel",
    "StockMove",
    "StockValueHour",
    "StockoutSpan",
    "StoreStock",
    "SupplierReturn",
    "SupplierReturnLine",
    "Tag",
    "UTCDateTime",
    "User",
    "Vehicle",
    "WarrantyClaim",
    "WorkOrder",
    "WorkOrderStatusChange",
]
