"""Watch and tell: alerts and notices, and their delivery."""
