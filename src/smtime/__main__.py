from smtime.cli import main

raise SystemExit(main())
