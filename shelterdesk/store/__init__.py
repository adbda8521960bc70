"""The only package with SQL: the vault (keys), the connection, the migrations
ladder and the repositories that return plain records from core.models."""
