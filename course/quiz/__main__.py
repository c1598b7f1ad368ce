"""``python -m course.quiz``: the terminal quiz (same as ``course quiz``)."""

import sys

from course.quiz.cli import main

sys.exit(main())
