"""The indicator registry moved to `pingan.core.indicators` (the domain apps' `indicators.py` import it from
there, below analytics). This name stays an alias of the same module for older imports."""
import sys

from pingan.core import indicators as _indicators

sys.modules[__name__] = _indicators
