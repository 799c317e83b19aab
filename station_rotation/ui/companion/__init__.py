"""The laptop's side of the classroom companion: switch it on, pair, see devices.

The companion itself (``station_rotation.companion``) is Qt-free; this package only
starts and stops it, shows the pairing QR code and the connected devices, and carries
the remote's "blank the projector" to the GUI thread. See docs/companion.md.
"""
