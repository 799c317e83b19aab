"""District sync as the teacher meets it: the service, what needs her, its words, USB stick."""
