"""The catalog: item models (agents, skills), their loaders, references, building."""
