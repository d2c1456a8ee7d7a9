"""Protocol extensions: the Skills extension (SEP-2640)."""
