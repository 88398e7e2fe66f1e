"""`python -m quizapp` behaves exactly like the `quizapp` script."""

from quizapp.cli import main

raise SystemExit(main())
