"""The capabilities the divisions app checks (granted to roles in shuanglian.access.roles)."""
VIEW_DIVISIONS = "divisions.view"
RESTRUCTURE = "divisions.restructure"
