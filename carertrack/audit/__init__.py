"""The audit log: the recorder (every write) and the pages that search it."""
