"""Email: messages built with the standard library, sent with aiosmtplib (or
written to the log). No aiohttp, no SQL: the email sweeper
(services/emails.py) decides what to send."""
