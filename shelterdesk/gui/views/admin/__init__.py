"""Administration pages: the facility settings, backups and retention."""
