import pytest


@pytest.fixture(autouse=True)
def _daytime(city_daytime) -> None:
    """Helpers report hours of today's help: never in the city's first hours of the day."""
