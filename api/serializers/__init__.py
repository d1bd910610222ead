"""What the API reads and writes, one module per kind of record. Writes are
validated here for shape and type only; the rules are the services'."""
