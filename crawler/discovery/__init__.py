"""Finding annual reports on a portal with no per-site code: which links lead to the
disclosure section and the annual-report columns, which pages are reports, and how each
list-page style pages through its items. Pure functions of (url, text)."""
