"""Exercise engine for the book: one bank, a widget view, a static view, a grader."""
from .bank import BankError, load as load_bank
from .checking import Result, check
from .views.show import show

__all__ = ["BankError", "Result", "check", "load_bank", "show"]
