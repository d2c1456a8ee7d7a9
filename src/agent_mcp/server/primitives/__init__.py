"""One module per MCP primitive: prompts, resources, completions."""
