"""Forum views, one module per area."""
