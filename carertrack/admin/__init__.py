"""Administration: user accounts and roles, and the local-practice settings."""
