"""Language knowledge in one place (en/ru/km): scripts, digits, month and weekday names, numbers in words,
punctuation, tokenisers."""
