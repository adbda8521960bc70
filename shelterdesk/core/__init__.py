"""The domain: records, code lists, validation and calculations. No Qt, no SQL."""
