"""Text formats, knowing nothing of files or items: frontmatter, markdown, words."""
