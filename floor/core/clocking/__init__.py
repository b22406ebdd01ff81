"""Clocking by scan (SPEC 10.3): technicians' time on labour lines, the parts they issue against them,
progress as clocked ÷ sold hours, and the technicians' report.

Modules: `clocks` (on, off, STOP, FINISH, HOLD, reopening a line), `attribution` (a part issued by a
technician clocked onto one of the job's lines is recorded against that line), `progress` (per job and
per labour line), `report` (per technician).
"""
