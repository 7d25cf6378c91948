"""Item analysis and a class report from the gradebook (``python -m exercises report``).

``data`` reads the gradebook, ``stats`` and ``analysis`` compute, ``flags`` judges, ``figures``
draws, ``render`` and ``writers`` write; ``build.report`` runs them in that order.
"""
from .build import report
from .data import ReportError

__all__ = ["ReportError", "report"]
