"""The API's views, one module per kind of record. Each view resolves what the
user may see (``visible_to``), validates the shape of the input, calls one
service and answers the record as read afresh."""
