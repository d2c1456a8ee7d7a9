"""Tools: the registry (listing, dispatch, errors) and the tool families."""
