"""GS1 barcodes: the AI table (`ai_table`), the syntax checks (`syntax`), EAN/UPC check digits (`retail`)."""
