"""Local servers that speak the five APIs over a generated world, for tests, demos and measurements.

``FakeApis(world_folder, now=...)`` serves a folder the generator wrote; ``python -m
escalations.extract.fake --world DIR`` serves one from the command line and prints the variables
that point ``escalations extract`` at it.
"""

from escalations.extract.fake.server import Credentials, FakeApis, Fault
from escalations.extract.fake.store import WorldStore

__all__ = ["Credentials", "FakeApis", "Fault", "WorldStore"]
