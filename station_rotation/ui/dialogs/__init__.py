"""Dialogs the pages open (with open() and signals, never exec())."""
