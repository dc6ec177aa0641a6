"""`python -m outreach_app` runs the same entry point as the `outreach` command."""

from outreach_app.cli import main

raise SystemExit(main())
