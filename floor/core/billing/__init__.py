"""The bill (SPEC 10.4): invoices from READY jobs, discounts, payments, credit notes, the gate, the takings."""
