"""The REST channel for residents (a web chat, a partner's app): Rasa's REST format, through the
router, so it gets what Telegram gets (cases, rate limit, size limit). Off unless configured."""
