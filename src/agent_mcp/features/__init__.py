"""What items offer beyond their files: decision frameworks, personas, search, checks."""
