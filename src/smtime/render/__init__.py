"""Output formats: one module per format, all fed from the core's results."""
