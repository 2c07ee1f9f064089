"""Language knowledge in one place: scripts, digits, month names and dates, numbers, tokenisers (en/ru/km)."""
