"""What both doors (floor.web, floor.kiosk) stand on: the app context, the one error handler and its status table,
who acts on a write, request guards, body checks, security headers, kiosk enrolment and live updates.

It imports neither door, so the JSON API and the kiosk never import each other; the app factory that puts them
together is `floor.service.factory.create_app`.
"""
