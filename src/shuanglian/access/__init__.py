"""Roles, duties, the capability registry and the scope a user's grants give them."""
