"""The one scorecard model: stored facts → scoring → what the page, PDF, CSV and API show."""
