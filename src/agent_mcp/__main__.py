from agent_mcp.cli import main

raise SystemExit(main())
