"""Where items come from: bundled folders, options, environment, project layouts."""
