"""Customer returns through quarantine and inspection, and return shipments to suppliers."""
