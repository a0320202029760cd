"""Shared form pieces."""

# The hidden `version` of an optimistic-locking form: an integer column's range, so a forged
# value is a form error and never an overflow in the database.
MAX_VERSION = 2**31 - 1
