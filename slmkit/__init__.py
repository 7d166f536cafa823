"""Dagster-free building blocks shared by both pipelines.

HTTP sessions with bounded retries, a cross-process daily request ledger, an atomic artifact store
and content hashing. Nothing here imports Dagster, so every piece is testable on its own.
"""
