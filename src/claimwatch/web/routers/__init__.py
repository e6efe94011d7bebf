"""The app's routers, one module per area; each has `router` and may have `NAV` (its menu entry)."""
