"""The rotation clock: a pure, event-sourced state machine over an injected time source."""
