"""smtime: how much time does social media really take?"""

__version__ = "0.1.0"
