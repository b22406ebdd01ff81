"""Use cases, between the core and the doors (floor.web, floor.kiosk): each opens its transaction, calls the core,
queues its labels and writes its audit entry. The JSON API and the kiosk both call them."""
