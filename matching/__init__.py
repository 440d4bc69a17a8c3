"""KaushalSetu matching engine: text -> skills -> gaps -> plans. A plain library (no Flask, no DB)."""
