"""Thin staff views for cases: parse, call an action or a query, render. One module per domain."""
