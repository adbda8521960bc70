"""ShelterDesk: records, documents and aftercare for a women's shelter."""

__version__ = "0.1.0"
