"""Dialogs and side panels the main window opens: identity, round settings, visit, history,
evidence, rules help and a new round. Each is self-contained: give it a Workspace, show it."""
