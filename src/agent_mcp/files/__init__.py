"""The only code that touches the disk for served content: listing, reading, media types."""
