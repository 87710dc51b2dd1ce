"""Conference views, one module per audience."""
