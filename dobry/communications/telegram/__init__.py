"""A person's Telegram: linking the chat by a deep link, personal notifications by the
city's bot through the outbox, and the bot's webhook."""
