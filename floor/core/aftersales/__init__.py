"""After the car has left (SPEC 10.5): follow-up calls, comebacks, complaints and service reminders.

Rules only: no I/O, no config reading (the settings come in as `AftersalesSettings`, read by
`floor.config.settings.aftersales_settings`). Deadlines are reckoned in the site's time zone and
on its working days (`calendar`).
"""
