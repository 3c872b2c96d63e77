"""Downloader middlewares: archive every exchange, decide rendering, retry politely."""
