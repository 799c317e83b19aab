"""The teacher's control panel of a rotation run: ticker, chimes, shortcuts and the page."""
