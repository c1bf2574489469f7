"""The demo app's own builder steps; they run before any other app's (see ..registry)."""
