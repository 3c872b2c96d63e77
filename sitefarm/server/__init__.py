"""The farm's HTTP server: one asyncio loop, one listening port per portal, plus a control port."""
