"""Labels and printing: label layouts, ZPL II, PNG/SVG previews, printer transports, the print queue.

Modules: `kinds` and `layout` (what each label says and where), `zpl` and `preview` (the
printer's bytes, the screen's image), `service` (make, render and queue labels), `queue` and
`worker` (the print queue and its workers), `transport` and `status` (printers). Import each
name from the module that defines it: this package re-exports nothing.
"""
