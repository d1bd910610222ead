"""What the scale-data generator raises when it refuses to run."""


class ScaleDataError(Exception):
    """The generator refuses: the message says why and what to do."""
