"""The projector window: the countdown, the groups' stations and QR codes for the class."""
