"""The Qt layer: thin widgets that render state and forward intents to the services."""
