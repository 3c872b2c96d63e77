"""Portal generators, one module per real portal style."""
