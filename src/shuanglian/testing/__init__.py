"""Test helpers: a small district and named personas, all made through services."""
