"""The repair order (SPEC 10.2): concerns, the labour catalogue, lines, the estimate, the customer's yes.

Modules: `errors` (the refusal, its messages, the role check), `settings` (`[billing]`), `money` (the one
rounding), `operations` (the labour catalogue and its import rows), `concerns`, `lines` (add, change,
the job's counters the scan path reads), `authorization` (the customer's yes and no), `estimate`,
`gates` (what START, READY and an issue scan ask of the lines). Clocking is `floor.core.clocking`.
"""
