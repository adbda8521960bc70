"""The admission wizard of the intake desk, in parts: ``wizard`` (the flow:
navigation, validation, children, consents, bed, saving), ``pages`` (the
widgets of each page, in Tab order), ``readmission`` (same person or not) and
``drafts`` (what is typed, kept in the encrypted database)."""
