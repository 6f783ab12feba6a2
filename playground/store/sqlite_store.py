"""Old import path of the store, kept until every caller imports playground.store."""

from playground.store import *  # noqa: F403
from playground.store import __all__  # noqa: F401
