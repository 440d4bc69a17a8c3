"""Vector indexes chosen by configuration: exact numpy in memory, or pgvector in PostgreSQL."""
