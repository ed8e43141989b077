"""The webhook receiver app: views and a SQLite-backed event store."""
