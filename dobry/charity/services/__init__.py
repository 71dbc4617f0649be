"""Writes of the charity app: campaigns and bank details (`campaigns`), donations
(`donations`), bank statements (`statements`)."""
