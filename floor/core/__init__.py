"""The core ring: domain logic over a SQLAlchemy Session, with no device or web I/O."""
