"""Pages of the evidence app, one module per kind of record."""
