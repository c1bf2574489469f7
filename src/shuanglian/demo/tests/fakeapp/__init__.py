"""A stand-in for a later module that adds records to the demo (registry discovery tests)."""
