"""Wagtail admin for membership: viewsets and panels, one block per domain."""

from wagtail import hooks  # noqa: F401

# --- applications, members and audit ---
# --- community of practice ---
# --- imports ---
# --- campaigns ---
