"""The browser as a link finder: what a rendered page did (tap) and the bounded behaviours that
make a script-driven list show its way on (behaviours)."""
