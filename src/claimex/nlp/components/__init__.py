"""spaCy components registered under the ``claimex_`` prefix."""
