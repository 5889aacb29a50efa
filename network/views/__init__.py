"""Thin views, one module per domain: parse input, call one service or query, render."""
