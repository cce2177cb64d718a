"""``python -m carbon_footprint``: the command line."""

import sys

from .cli import main

sys.exit(main())
