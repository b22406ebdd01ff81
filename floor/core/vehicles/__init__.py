"""The vehicle file (SPEC 10.1): vehicles by VIN and plate, their owner, warranty, next service and history.

Modules: `errors` (the refusal and its messages), `settings` (`[vehicles]`), `records` (a vehicle's
fields checked, created or updated, found by VIN or plate), `history` (the file: jobs, warranty,
the work declined before), `jobs` (a job linked to its vehicle and customer at reception).
The VIN rule itself is `floor.core.vin` (the scan parser uses it too).
"""
