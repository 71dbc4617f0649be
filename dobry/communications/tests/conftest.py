"""The fake Telegram Bot API and VK API server for the adapters' tests."""

from dobry.communications.tests.fake_apis import fake_apis  # noqa: F401
