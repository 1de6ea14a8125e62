import sys

from mmx.cli import main

sys.exit(main())
