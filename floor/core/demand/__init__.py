"""Parts demand at the job (SPEC 9.2): request lines, their reservations, picks and special orders.

Modules: `lines` (a line's basics and checks), `rules` (what people ask and change),
`followers` (holds follow stock), `closing` (jobs and appointments that end), `queues`
(what the counter reads), `notify` (telling the counter), `owners` (jobs and appointments
alike), `scans` and `arrivals` (the scan path). Import each name from the module that
defines it: this package re-exports nothing.
"""
