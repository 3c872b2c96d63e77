"""Item pipelines: one stage per module."""
