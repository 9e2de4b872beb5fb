"""The SLA engine's Python side: checks and benchmarks of the warehouse's business-time SQL."""
