"""`make bench`: figures on a large synthetic database (see run.py)."""
