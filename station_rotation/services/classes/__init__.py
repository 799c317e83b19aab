"""A class and its room: the section, its stations and learning targets, the sample class."""
