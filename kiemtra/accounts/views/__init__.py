from .auth import locked_out

__all__ = ["locked_out"]
