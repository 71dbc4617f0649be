"""Posting news to the city's channels: the VK community and the Telegram channel, through
one moderated queue (`ChannelPost`)."""
