"""Fetch-level decisions: what a response is (content, challenge, script shell, soft 404)."""
