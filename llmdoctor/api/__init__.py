"""What the API-layer checks share: requests per auth style, URLs, rate-limit headers, SSE streams."""
