"""quizapp: a terminal study coach for the AWS Certified AI Practitioner exam.

This module stays import-free so that `quizapp --version` and the headless layers never pay
for Textual.
"""

__version__ = "0.1.0"
