"""Bundle.ML (MLeap) bundles: read, write, and apply them in pure Python/NumPy."""

from bundles.bundle import Bundle, load_bundle, save_bundle
from bundles.errors import BundleError, OpFailure, TransformError, UnsupportedOpError
from bundles.frame import Frame

__all__ = ["Bundle", "BundleError", "Frame", "OpFailure", "TransformError", "UnsupportedOpError", "load_bundle",
           "save_bundle"]
