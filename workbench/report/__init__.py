"""Post-editing metrics (chrF, TER, BLEU), the project report and its plots."""
