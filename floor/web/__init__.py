"""The thin JSON API: one blueprint per area, each calling the application ring (the factory: floor.service.factory)."""
