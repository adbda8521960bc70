"""Today: the caseworker's home page (issue 9 item 6)."""
