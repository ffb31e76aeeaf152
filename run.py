"""Leopard: `python run.py [serve|migrate|createuser|token] …` (see README.md)."""

import sys

from leopard.cli import main

if __name__ == "__main__":
    sys.exit(main())
