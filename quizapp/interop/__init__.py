"""Interop: banks read through `quizapp.content`, written in other tools' formats (an Anki package).

Beside `cli`, below nothing: it imports `content` only, never `tui`, `study` or `store`.
"""
