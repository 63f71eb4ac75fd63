"""A person's own settings (their time zone), and showing times in the reader's zone."""
