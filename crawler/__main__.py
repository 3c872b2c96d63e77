"""``python -m crawler`` is the ``nianbao`` command."""

from crawler.cli import main

main()
